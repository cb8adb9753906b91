import { route } from '@/server/api/handler';
import { resumeReshard } from '@/server/ops/resumeReshard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** A reshard left interrupted (or failed with slots open): finish its open slots, then the rest of its plan. */
export const POST = route<{ jobId: string }>(
  { access: 'operator', action: 'job.resume' },
  async ({ params, principal, auditDetails }) => {
    auditDetails.params = { jobId: params.jobId };
    return resumeReshard(params.jobId, principal);
  },
);
