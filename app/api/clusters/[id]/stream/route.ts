import { route } from '@/server/api/handler';
import { snapshotStream } from '@/server/clusters/stream';
import { streamQueryOf } from '@/server/clusters/view';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>({ access: 'kiosk' }, async ({ request, params, principal }) =>
  snapshotStream({ clusterId: params.id, request, principal, query: streamQueryOf(request, principal) }),
);
