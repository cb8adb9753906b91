import { notFound } from 'next/navigation';
import { Forbidden } from '@/components/auth/Forbidden';
import { ClusterOverview } from '@/components/cluster/ClusterOverview';
import { SentinelDeployment } from '@/components/sentinel/SentinelDeployment';
import { allows } from '@/lib/auth/access';
import { pageAccess } from '@/server/auth/pageAccess';
import { listClusters } from '@/server/clusters/snapshot';

export const dynamic = 'force-dynamic';

/** Viewers and up: a kiosk screen gets the wall and the overview only (what they show, nothing more). */
export default async function ClusterPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { principal, allowed } = await pageAccess('viewer', `/clusters/${encodeURIComponent(id)}`);
  if (!allowed) return <Forbidden needs="viewer" />;
  const cluster = listClusters().find((c) => c.id === id);
  if (!cluster) notFound();
  if (cluster.kind === 'sentinel')
    return <SentinelDeployment deploymentId={cluster.id} deploymentName={cluster.name} />;
  return (
    <ClusterOverview
      clusterId={cluster.id}
      clusterName={cluster.name}
      canOpenNodes={allows(principal, 'viewer')}
      canOperate={allows(principal, 'operator')}
      isAdmin={allows(principal, 'admin')}
      userName={principal?.kind === 'user' ? principal.name : undefined}
    />
  );
}
