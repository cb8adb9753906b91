import { ConfigSetPlanQuery } from '@/lib/api/schemas';
import { ApiError } from '@/server/api/errors';
import { route } from '@/server/api/handler';
import { configSetPreview } from '@/server/ops/configSet';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Each node's current value of the named parameters (never a secret: those are refused by name). */
export const GET = route<{ id: string }>({ access: 'viewer' }, async ({ request, params }) => {
  const parsed = ConfigSetPlanQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(query)'}: ${i.message}`);
    throw new ApiError('bad_request', `invalid query: ${fields.join('; ')}`, fields);
  }
  return configSetPreview(params.id, parsed.data.names);
});
