import type { FailoverMode } from '@/lib/failover/prechecks';
import { ApiError } from '@/server/api/errors';
import { route } from '@/server/api/handler';
import { failoverPlan } from '@/server/ops/startFailover';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const MODES = ['default', 'force', 'takeover'];

export const GET = route<{ id: string }>({ access: 'viewer' }, async ({ request, params }) => {
  const q = new URL(request.url).searchParams;
  const mode = q.get('mode');
  if (mode !== null && !MODES.includes(mode))
    throw new ApiError('bad_request', 'mode must be default, force or takeover', ['mode']);
  return failoverPlan(
    params.id,
    { replicaId: q.get('replicaId') ?? undefined, masterId: q.get('masterId') ?? undefined },
    (mode ?? undefined) as FailoverMode | undefined,
  );
});
