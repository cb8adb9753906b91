import { AuditQuery } from '@/lib/api/schemas';
import { ApiError } from '@/server/api/errors';
import { route } from '@/server/api/handler';
import { readAudit } from '@/server/audit/log';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// The body stays the list of entries; what was left out is said in headers.
export const GET = route({ access: 'admin' }, async ({ request }) => {
  const parsed = AuditQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(query)'}: ${i.message}`);
    throw new ApiError('bad_request', `invalid query: ${fields.join('; ')}`, fields);
  }
  const { entries, olderFiles, truncated, skippedLines } = await readAudit(parsed.data.limit);
  return Response.json(entries, {
    headers: {
      'cache-control': 'no-store',
      'x-audit-older-files': String(olderFiles),
      'x-audit-truncated': String(truncated),
      'x-audit-skipped-lines': String(skippedLines),
    },
  });
});
