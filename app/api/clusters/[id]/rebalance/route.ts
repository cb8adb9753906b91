import { RebalanceStartRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { startRebalance } from '@/server/ops/rebalance';
import { reshardConfirmation } from '@/server/ops/reshard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }, RebalanceStartRequest>(
  {
    access: 'operator',
    action: 'cluster.rebalance',
    body: RebalanceStartRequest,
    confirmation: (params) => ({ expected: reshardConfirmation(params.id), what: "the cluster's name" }),
  },
  async ({ params, body, principal }) => startRebalance(params.id, body, principal),
);
