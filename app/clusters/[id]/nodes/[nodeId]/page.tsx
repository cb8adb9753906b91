import { Forbidden } from '@/components/auth/Forbidden';
import { NodeDetailView } from '@/components/node/NodeDetailView';
import { pageAccess } from '@/server/auth/pageAccess';

export const dynamic = 'force-dynamic';

export default async function NodePage({ params }: { params: Promise<{ id: string; nodeId: string }> }) {
  const { id, nodeId } = await params;
  const { allowed } = await pageAccess(
    'viewer',
    `/clusters/${encodeURIComponent(id)}/nodes/${encodeURIComponent(nodeId)}`,
  );
  if (!allowed) return <Forbidden needs="viewer" />;
  return <NodeDetailView clusterId={id} nodeId={nodeId} />;
}
