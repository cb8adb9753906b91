import { route } from '@/server/api/handler';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route({ access: 'public' }, async () => ({ ok: true }));
