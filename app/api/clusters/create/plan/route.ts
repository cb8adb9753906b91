import { CreateClusterPlanRequest } from '@/lib/api/createCluster';
import { route } from '@/server/api/handler';
import { previewCreateCluster } from '@/server/ops/createCluster';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<Record<string, never>, CreateClusterPlanRequest>(
  { access: 'admin', action: 'cluster.create.plan', body: CreateClusterPlanRequest },
  async ({ body, principal, auditDetails }) => {
    auditDetails.targets = body.nodes;
    return previewCreateCluster(body, principal);
  },
);
