import { route } from '@/server/api/handler';
import { clusterHistory, parseWindow } from '@/server/clusters/history';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>({ access: 'viewer' }, async ({ request, params }) =>
  clusterHistory(params.id, parseWindow(new URL(request.url).searchParams.get('window'))),
);
