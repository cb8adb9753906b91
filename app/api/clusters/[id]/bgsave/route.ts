import { BgsaveRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { startBgsave } from '@/server/ops/bgsave';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }, BgsaveRequest>(
  { access: 'operator', action: 'bgsave.start', body: BgsaveRequest },
  async ({ params, body, principal, auditDetails }) => {
    auditDetails.targets = [body.scope];
    return startBgsave(params.id, body, principal);
  },
);
