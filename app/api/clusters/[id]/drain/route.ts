import { DrainRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { drainConfirmation, startDrain } from '@/server/ops/rebalance';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }, DrainRequest>(
  {
    access: 'operator',
    action: 'cluster.drain',
    body: DrainRequest,
    confirmation: (_params, body) => ({ expected: drainConfirmation(body), what: "the master's node id" }),
  },
  async ({ params, body, principal, auditDetails }) => {
    auditDetails.targets = [body.nodeId];
    return startDrain(params.id, body, principal);
  },
);
