import { MoveReplicaRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { startMoveReplica } from '@/server/ops/moveReplica';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Starts the move-replica job (operator): CLUSTER REPLICATE on this replica; its node id typed again confirms. */
export const POST = route<{ id: string; nodeId: string }, MoveReplicaRequest>(
  {
    access: 'operator',
    action: 'node.replicate',
    body: MoveReplicaRequest,
    confirmation: (params) => ({ expected: params.nodeId, what: "the replica's node id" }),
  },
  async ({ params, body, principal, auditDetails }) => {
    auditDetails.targets = [params.nodeId];
    return startMoveReplica(params.id, params.nodeId, body.masterId, principal);
  },
);
