import { SlotHeatQuery } from '@/lib/cluster/slotHeat';
import { ApiError } from '@/server/api/errors';
import { route } from '@/server/api/handler';
import { slotHeat } from '@/server/clusters/slotHeat';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>({ access: 'viewer' }, async ({ request, params }) => {
  const parsed = SlotHeatQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(query)'}: ${i.message}`);
    throw new ApiError('bad_request', `invalid query: ${fields.join('; ')}`, fields);
  }
  return slotHeat(params.id, parsed.data.values);
});
