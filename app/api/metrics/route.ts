import { route } from '@/server/api/handler';
import { metricsText } from '@/server/clusters/metrics';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route(
  { access: 'viewer', metricsBearer: true },
  async () =>
    new Response(metricsText(), {
      headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' },
    }),
);
