import { RebalanceRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { planRebalanceFor } from '@/server/ops/rebalance';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The preview of a rebalance: counts keys per slot on the masters, changes nothing. */
export const POST = route<{ id: string }, RebalanceRequest>(
  { access: 'operator', body: RebalanceRequest },
  async ({ params, body }) => planRebalanceFor(params.id, body),
);
