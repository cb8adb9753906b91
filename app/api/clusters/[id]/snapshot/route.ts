import { route } from '@/server/api/handler';
import { latestInView } from '@/server/clusters/snapshot';
import { viewOf } from '@/server/clusters/view';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>({ access: 'kiosk' }, async ({ request, params, principal }) =>
  latestInView(params.id, viewOf(request, principal)),
);
