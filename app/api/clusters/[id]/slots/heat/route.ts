import { route } from '@/server/api/handler';
import { slotHeat } from '@/server/clusters/slotHeat';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>({ access: 'viewer' }, async ({ params }) => slotHeat(params.id));
