import { AddNodeRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { startAddNode } from '@/server/ops/addNode';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }, AddNodeRequest>(
  {
    access: 'operator',
    action: 'node.add',
    body: AddNodeRequest,
    confirmation: (_params, body) => ({ expected: body.addr, what: "the new node's address" }),
  },
  async ({ params, body, principal, auditDetails }) => {
    auditDetails.targets = [body.addr];
    return startAddNode(params.id, body, principal);
  },
);
