import { RollingRestartPlanRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { rollingRestartPlan } from '@/server/ops/rollingRestart';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The order a rolling restart would follow now, and what blocks it (changes nothing). */
export const POST = route<{ id: string }, RollingRestartPlanRequest>(
  { access: 'operator', body: RollingRestartPlanRequest },
  async ({ params, body }) => rollingRestartPlan(params.id, body),
);
