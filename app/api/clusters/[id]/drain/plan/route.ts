import { DrainPlanRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { planDrainFor } from '@/server/ops/rebalance';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The preview of a drain (the plan the drain job runs): counts keys per slot on the masters, changes nothing. */
export const POST = route<{ id: string }, DrainPlanRequest>(
  { access: 'operator', body: DrainPlanRequest },
  async ({ params, body }) => planDrainFor(params.id, body),
);
