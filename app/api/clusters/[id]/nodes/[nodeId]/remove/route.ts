import { RemoveNodeRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { startRemoveNode } from '@/server/ops/removeNode';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Starts the remove-node job (admin); the node id typed again confirms. */
export const POST = route<{ id: string; nodeId: string }, RemoveNodeRequest>(
  {
    access: 'admin',
    action: 'node.remove',
    body: RemoveNodeRequest,
    confirmation: (params) => ({ expected: params.nodeId, what: "the node's id" }),
  },
  async ({ params, principal, auditDetails }) => {
    auditDetails.targets = [params.nodeId];
    return startRemoveNode(params.id, params.nodeId, principal);
  },
);
