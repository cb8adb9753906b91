import { ApiError } from '@/server/api/errors';
import { route } from '@/server/api/handler';
import { getJob } from '@/server/jobs/registry';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route<{ jobId: string }>({ access: 'viewer' }, async ({ params }) => {
  const job = getJob(params.jobId);
  if (!job) throw new ApiError('not_found', 'no such job (the newest 1,000 jobs of each cluster are kept)');
  return job;
});
