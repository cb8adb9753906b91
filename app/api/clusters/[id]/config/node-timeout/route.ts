import { SetNodeTimeoutRequest } from '@/lib/api/schemas';
import { principalLabel } from '@/lib/auth/access';
import { route } from '@/server/api/handler';
import { pollerOr404 } from '@/server/clusters/poller';
import { setNodeTimeout } from '@/server/ops/setNodeTimeout';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }, SetNodeTimeoutRequest>(
  {
    access: 'admin',
    action: 'cluster.set-node-timeout',
    body: SetNodeTimeoutRequest,
    confirmation: (params) => ({ expected: pollerOr404(params.id).cluster.name, what: 'the cluster name' }),
  },
  // Kept for redis-cli set-timeout users: now a config-set job (POST …/config/set), awaited.
  async ({ params, body, principal, auditDetails }) => {
    const poller = pollerOr404(params.id);
    auditDetails.targets = poller.latest?.nodes.map((n) => n.addr);
    return setNodeTimeout(poller, body.timeoutMs, principalLabel(principal));
  },
);
