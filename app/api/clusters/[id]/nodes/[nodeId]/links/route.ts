import { route } from '@/server/api/handler';
import { nodeLinks } from '@/server/clusters/nodeDetail';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route<{ id: string; nodeId: string }>({ access: 'viewer' }, async ({ params }) =>
  nodeLinks(params.id, params.nodeId),
);
