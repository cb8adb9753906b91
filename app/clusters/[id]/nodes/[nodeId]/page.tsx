import { Forbidden } from '@/components/auth/Forbidden';
import { NodeDetailView } from '@/components/node/NodeDetailView';
import { allows } from '@/lib/auth/access';
import { pageAccess } from '@/server/auth/pageAccess';

export const dynamic = 'force-dynamic';

export default async function NodePage({ params }: { params: Promise<{ id: string; nodeId: string }> }) {
  const { id, nodeId } = await params;
  const { allowed, principal } = await pageAccess(
    'viewer',
    `/clusters/${encodeURIComponent(id)}/nodes/${encodeURIComponent(nodeId)}`,
  );
  if (!allowed) return <Forbidden needs="viewer" />;
  return (
    <NodeDetailView
      clusterId={id}
      nodeId={nodeId}
      canOperate={allows(principal, 'operator')}
      isAdmin={allows(principal, 'admin')}
    />
  );
}
