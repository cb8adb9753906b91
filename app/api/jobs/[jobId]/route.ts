import { ApiError } from '@/server/api/errors';
import { route } from '@/server/api/handler';
import { getJob } from '@/server/jobs/registry';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route<{ jobId: string }>({ access: 'viewer' }, async ({ params }) => {
  const job = getJob(params.jobId);
  if (!job) throw new ApiError('not_found', 'no such job (jobs are kept in memory until the server restarts)');
  return job;
});
