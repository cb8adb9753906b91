import { ConfigSetRequest } from '@/lib/api/schemas';
import { configConfirmation } from '@/lib/nodeConfig/setPlan';
import { route } from '@/server/api/handler';
import { startConfigSet } from '@/server/ops/configSet';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }, ConfigSetRequest>(
  {
    access: 'admin',
    action: 'config.set',
    body: ConfigSetRequest,
    confirmation: (_params, body) => ({ expected: configConfirmation(body.params), what: 'the parameter names' }),
  },
  async ({ params, body, principal }) => startConfigSet(params.id, body, principal),
);
