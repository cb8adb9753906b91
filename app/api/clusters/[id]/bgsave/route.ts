import { BgsaveRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { startBgsave } from '@/server/ops/bgsave';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }, BgsaveRequest>(
  { access: 'operator', action: 'bgsave.start', body: BgsaveRequest },
  // The request is audited as bgsave.start; the job audits bgsave.result with every node it saved and how it ended.
  async ({ params, body, principal }) => startBgsave(params.id, body, principal),
);
