import { CreateClusterRequest } from '@/lib/api/createCluster';
import { route } from '@/server/api/handler';
import { startCreateCluster } from '@/server/ops/createCluster';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<Record<string, never>, CreateClusterRequest>(
  {
    access: 'admin',
    action: 'cluster.create',
    body: CreateClusterRequest,
    confirmation: (_params, body) => ({
      expected: body.nodes[0] ?? '',
      what: "the first node's address (the node every other one meets)",
    }),
  },
  async ({ body, principal, auditDetails }) => {
    auditDetails.targets = body.nodes;
    return startCreateCluster(body, principal);
  },
);
