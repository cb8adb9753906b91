import { route } from '@/server/api/handler';
import { readAudit } from '@/server/audit/log';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route({ access: 'admin' }, async ({ request }) => {
  const limit = Math.min(1000, Math.max(1, Number(new URL(request.url).searchParams.get('limit')) || 200));
  return readAudit(limit);
});
