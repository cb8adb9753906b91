import { route } from '@/server/api/handler';
import { latestFindings } from '@/server/clusters/snapshot';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>({ access: 'viewer' }, async ({ params }) => latestFindings(params.id));
