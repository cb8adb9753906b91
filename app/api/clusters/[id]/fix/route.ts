import { FixStartRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { startFix } from '@/server/ops/fix';
import { reshardConfirmation } from '@/server/ops/reshard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }, FixStartRequest>(
  {
    access: 'operator',
    action: 'cluster.fix',
    body: FixStartRequest,
    confirmation: (params) => ({ expected: reshardConfirmation(params.id), what: "the cluster's name" }),
  },
  async ({ params, body, principal }) => startFix(params.id, body, principal),
);
