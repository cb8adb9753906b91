import { route } from '@/server/api/handler';
import { listClusters } from '@/server/clusters/snapshot';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route({ access: 'kiosk' }, async () => listClusters());
