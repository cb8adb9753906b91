import { evaluateFindings } from '@/lib/findings';
import { route } from '@/server/api/handler';
import { latestSnapshot } from '@/server/clusters/snapshot';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>({ access: 'viewer' }, async ({ params }) =>
  evaluateFindings(latestSnapshot(params.id)),
);
