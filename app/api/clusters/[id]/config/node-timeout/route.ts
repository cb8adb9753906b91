import { SetNodeTimeoutRequest } from '@/lib/api/schemas';
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
  async ({ params, body, auditDetails }) => {
    const poller = pollerOr404(params.id);
    auditDetails.targets = poller.latest?.nodes.map((n) => n.addr);
    return setNodeTimeout(poller, body.timeoutMs);
  },
);
