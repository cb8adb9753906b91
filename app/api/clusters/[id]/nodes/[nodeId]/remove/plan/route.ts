import { route } from '@/server/api/handler';
import { previewRemoveNode } from '@/server/ops/removeNode';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The plan the remove-node job would run, or why not (`drainFirst` for a master with slots). Sends nothing. */
export const GET = route<{ id: string; nodeId: string }>({ access: 'admin' }, async ({ params }) =>
  previewRemoveNode(params.id, params.nodeId),
);
