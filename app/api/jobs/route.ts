import { route } from '@/server/api/handler';
import { listJobs } from '@/server/jobs/registry';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route({ access: 'viewer' }, async ({ request }) =>
  listJobs(new URL(request.url).searchParams.get('clusterId') ?? undefined),
);
