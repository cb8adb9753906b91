import { RollingRestartRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { reshardConfirmation } from '@/server/ops/reshard';
import { startRollingRestart } from '@/server/ops/rollingRestart';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }, RollingRestartRequest>(
  {
    access: 'operator',
    action: 'cluster.rolling-restart',
    body: RollingRestartRequest,
    confirmation: (params) => ({ expected: reshardConfirmation(params.id), what: "the cluster's name" }),
  },
  async ({ params, body, principal }) => startRollingRestart(params.id, body, principal),
);
