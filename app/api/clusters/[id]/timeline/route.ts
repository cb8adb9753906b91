import { route } from '@/server/api/handler';
import { pollerOr404 } from '@/server/clusters/poller';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>({ access: 'viewer' }, async ({ request, params }) => {
  const limit = Math.min(1000, Math.max(1, Number(new URL(request.url).searchParams.get('limit')) || 200));
  return pollerOr404(params.id).timeline(limit);
});
