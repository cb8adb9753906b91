import { ReshardRequest } from '@/lib/api/schemas';
import { route } from '@/server/api/handler';
import { planReshardFor } from '@/server/ops/reshard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The preview of a reshard: counts and samples keys on the nodes, changes nothing. */
export const POST = route<{ id: string }, ReshardRequest>(
  { access: 'operator', body: ReshardRequest },
  async ({ params, body }) => planReshardFor(params.id, body),
);
