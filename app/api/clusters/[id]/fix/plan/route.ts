import { FixRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { planFixFor } from '@/server/ops/fix';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The preview of `redis-cli --cluster fix`: reads every node's view and the keys of broken slots, changes nothing. */
export const POST = route<{ id: string }, FixRequest>(
  { access: 'operator', body: FixRequest },
  async ({ params, body }) => planFixFor(params.id, body),
);
