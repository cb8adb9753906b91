import { route } from '@/server/api/handler';
import { rollbackReshard } from '@/server/ops/rollbackReshard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** A reshard left interrupted (or failed with slots open): return its open slots, with their keys, to the source. */
export const POST = route<{ jobId: string }>(
  { access: 'operator', action: 'job.rollback' },
  async ({ params, principal, auditDetails }) => {
    auditDetails.params = { jobId: params.jobId };
    return rollbackReshard(params.jobId, principal);
  },
);
