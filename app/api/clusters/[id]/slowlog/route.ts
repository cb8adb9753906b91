import { route } from '@/server/api/handler';
import { clusterSlowlog } from '@/server/clusters/history';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>({ access: 'viewer' }, async ({ request, params }) => {
  const count = Math.min(128, Math.max(1, Number(new URL(request.url).searchParams.get('count')) || 32));
  return clusterSlowlog(params.id, count);
});
