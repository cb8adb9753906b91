import { JobAdvanceRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { advanceRollingRestart } from '@/server/ops/rollingRestart';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** A rolling restart waiting for a node: skip it, or mark it restarted without waiting for the run_id to change. */
export const POST = route<{ jobId: string }, JobAdvanceRequest>(
  { access: 'operator', action: 'job.advance', body: JobAdvanceRequest },
  async ({ params, body, principal, auditDetails }) => {
    auditDetails.params = { jobId: params.jobId, action: body.action };
    return advanceRollingRestart(params.jobId, body, principal);
  },
);
