import { notFound } from 'next/navigation';
import { Forbidden } from '@/components/auth/Forbidden';
import { SentinelTrendsView } from '@/components/trends/SentinelTrendsView';
import { TrendsView } from '@/components/trends/TrendsView';
import { allows } from '@/lib/auth/access';
import { pageAccess } from '@/server/auth/pageAccess';
import { listClusters } from '@/server/clusters/snapshot';

export const dynamic = 'force-dynamic';

export default async function TrendsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { principal, allowed } = await pageAccess('viewer', `/clusters/${encodeURIComponent(id)}/trends`);
  if (!allowed) return <Forbidden needs="viewer" />;
  const cluster = listClusters().find((c) => c.id === id);
  if (!cluster) notFound();
  if (cluster.kind === 'sentinel')
    return <SentinelTrendsView deploymentId={cluster.id} deploymentName={cluster.name} />;
  return <TrendsView clusterId={cluster.id} clusterName={cluster.name} canStartJobs={allows(principal, 'operator')} />;
}
