import { JobsQuery } from '@/lib/api/schemas';
import { ApiError } from '@/server/api/errors';
import { route } from '@/server/api/handler';
import { listJobs } from '@/server/jobs/registry';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route({ access: 'viewer' }, async ({ request }) => {
  const parsed = JobsQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(query)'}: ${i.message}`);
    throw new ApiError('bad_request', `invalid query: ${fields.join('; ')}`, fields);
  }
  return listJobs(parsed.data.clusterId, parsed.data.limit);
});
