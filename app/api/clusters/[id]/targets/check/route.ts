import { TargetCheckRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { pollerOr404 } from '@/server/clusters/poller';
import { checkTarget } from '@/server/ops/checkTarget';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }, TargetCheckRequest>(
  { access: 'admin', action: 'target.check', body: TargetCheckRequest },
  async ({ params, body, auditDetails }) => {
    auditDetails.targets = [body.addr];
    return checkTarget(pollerOr404(params.id), body.addr);
  },
);
