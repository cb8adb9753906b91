import { route } from '@/server/api/handler';
import { snapshotStream } from '@/server/clusters/stream';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>({ access: 'kiosk' }, async ({ request, params }) =>
  snapshotStream(params.id, request.signal),
);
