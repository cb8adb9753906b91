import { FailoverRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { startFailover } from '@/server/ops/startFailover';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }, FailoverRequest>(
  {
    access: 'operator',
    action: 'cluster.failover',
    body: FailoverRequest,
    confirmation: (_params, body) => ({ expected: body.replicaId, what: "the replica's node id" }),
  },
  async ({ params, body, principal, auditDetails }) => {
    auditDetails.targets = [body.replicaId];
    return startFailover(params.id, body, principal);
  },
);
