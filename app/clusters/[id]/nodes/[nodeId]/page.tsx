import { Forbidden } from '@/components/auth/Forbidden';
import { NodeDetailView } from '@/components/node/NodeDetailView';
import { ClusterOnlyPage } from '@/components/sentinel/ClusterOnlyPage';
import { allows } from '@/lib/auth/access';
import { pageAccess } from '@/server/auth/pageAccess';
import { sentinelDeploymentNamed } from '@/server/sentinel/clusterOnly';

export const dynamic = 'force-dynamic';

export default async function NodePage({ params }: { params: Promise<{ id: string; nodeId: string }> }) {
  const { id, nodeId } = await params;
  const { allowed, principal } = await pageAccess(
    'viewer',
    `/clusters/${encodeURIComponent(id)}/nodes/${encodeURIComponent(nodeId)}`,
  );
  if (!allowed) return <Forbidden needs="viewer" />;
  const sentinel = sentinelDeploymentNamed(id);
  if (sentinel) return <ClusterOnlyPage id={sentinel.id} name={sentinel.name} />;
  return (
    <NodeDetailView
      clusterId={id}
      nodeId={nodeId}
      canOperate={allows(principal, 'operator')}
      isAdmin={allows(principal, 'admin')}
    />
  );
}
