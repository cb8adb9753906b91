import { notFound } from 'next/navigation';
import { Forbidden } from '@/components/auth/Forbidden';
import { ConfigView } from '@/components/config/ConfigView';
import { ClusterOnlyPage } from '@/components/sentinel/ClusterOnlyPage';
import { allows } from '@/lib/auth/access';
import { pageAccess } from '@/server/auth/pageAccess';
import { listClusters } from '@/server/clusters/snapshot';
import { sentinelDeploymentNamed } from '@/server/sentinel/clusterOnly';

export const dynamic = 'force-dynamic';

export default async function ConfigPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { principal, allowed } = await pageAccess('viewer', `/clusters/${encodeURIComponent(id)}/config`);
  if (!allowed) return <Forbidden needs="viewer" />;
  const sentinel = sentinelDeploymentNamed(id);
  if (sentinel) return <ClusterOnlyPage id={sentinel.id} name={sentinel.name} />;
  const cluster = listClusters().find((c) => c.id === id);
  if (!cluster) notFound();
  return <ConfigView clusterId={cluster.id} clusterName={cluster.name} isAdmin={allows(principal, 'admin')} />;
}
