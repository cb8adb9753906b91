import { route } from '@/server/api/handler';
import { sentinelFailoverPlan } from '@/server/sentinel/startSentinelFailover';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>({ access: 'viewer' }, async ({ params }) => sentinelFailoverPlan(params.id));
