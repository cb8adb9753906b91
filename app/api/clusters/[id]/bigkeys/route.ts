import { BigKeysRequest } from '@/lib/api/schemas';
import { principalLabel } from '@/lib/auth/access';
import type { BigKeysResult } from '@/lib/jobs/types';
import { ApiError } from '@/server/api/errors';
import { route } from '@/server/api/handler';
import { pollerOr404 } from '@/server/clusters/poller';
import { startJob } from '@/server/jobs/registry';
import { noTargetReason, scanBigKeys, scanTargets } from '@/server/ops/bigKeys';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }, BigKeysRequest>(
  { access: 'operator', action: 'bigkeys.start', body: BigKeysRequest },
  async ({ params, body, principal, auditDetails }) => {
    const poller = pollerOr404(params.id);
    const targets = scanTargets(poller, body.nodeId);
    if (targets.length === 0) throw new ApiError('conflict', noTargetReason(poller, body.nodeId));
    auditDetails.targets = targets.map((n) => n.addr);
    // One scan per cluster at a time: a second start is the 409 naming the running one.
    const job = startJob<BigKeysResult>(
      'bigkeys',
      params.id,
      principalLabel(principal).user,
      (handle) => scanBigKeys(poller, handle, { nodeId: body.nodeId, top: body.top, batch: 100, pauseMs: 10 }),
      undefined,
      { onePerCluster: true },
    );
    return { jobId: job.id };
  },
);
