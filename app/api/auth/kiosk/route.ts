import { route } from '@/server/api/handler';
import { startKioskSession } from '@/server/auth/kiosk';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route({ access: 'public' }, async ({ request }) => startKioskSession(request));
