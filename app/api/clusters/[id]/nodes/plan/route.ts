import { AddNodePlanRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { previewAddNode } from '@/server/ops/addNodePlan';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The add-node preview: checks the typed address (reads only) and answers the planner's decision. */
export const POST = route<{ id: string }, AddNodePlanRequest>(
  { access: 'operator', action: 'node.add.plan', body: AddNodePlanRequest },
  async ({ params, body, principal, auditDetails }) => {
    auditDetails.targets = [body.addr];
    return previewAddNode(params.id, body, principal);
  },
);
