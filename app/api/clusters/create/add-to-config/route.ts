import { AddCreatedClusterRequest } from '@/lib/api/createCluster';
import { route } from '@/server/api/handler';
import { addCreatedCluster } from '@/server/config/addCluster';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<Record<string, never>, AddCreatedClusterRequest>(
  { access: 'admin', action: 'config.cluster.add', body: AddCreatedClusterRequest },
  async ({ body, principal, auditDetails }) => {
    auditDetails.cluster = body.id;
    return addCreatedCluster(body, principal);
  },
);
