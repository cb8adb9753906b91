import { MoveReplicaPlanQuery } from '@/lib/api/schemas';
import { ApiError } from '@/server/api/errors';
import { route } from '@/server/api/handler';
import { previewMoveReplica } from '@/server/ops/moveReplica';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The plan of moving this replica (`?masterId=`; absent = the default choice), or why not. Sends nothing. */
export const GET = route<{ id: string; nodeId: string }>({ access: 'operator' }, async ({ request, params }) => {
  const parsed = MoveReplicaPlanQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(query)'}: ${i.message}`);
    throw new ApiError('bad_request', `invalid query: ${fields.join('; ')}`, fields);
  }
  return previewMoveReplica(params.id, params.nodeId, parsed.data.masterId);
});
