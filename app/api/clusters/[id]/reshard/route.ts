import { ReshardStartRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { reshardConfirmation, startReshard } from '@/server/ops/reshard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }, ReshardStartRequest>(
  {
    access: 'operator',
    action: 'cluster.reshard',
    body: ReshardStartRequest,
    confirmation: (params) => ({ expected: reshardConfirmation(params.id), what: "the cluster's name" }),
  },
  async ({ params, body, principal, auditDetails }) => {
    auditDetails.targets = [body.target];
    return startReshard(params.id, body, principal);
  },
);
