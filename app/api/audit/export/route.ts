import { principalLabel } from '@/lib/auth/access';
import { clientIp, route } from '@/server/api/handler';
import { audit, auditExport } from '@/server/audit/log';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route({ access: 'admin' }, async ({ request, principal }) => {
  // Next runs this for HEAD too and never reads the body: opening every file for it would leave them to the GC.
  if (request.method !== 'GET') return new Response(null, { status: 405, headers: { allow: 'GET' } });
  const { files, stream } = await auditExport();
  await audit({
    ...principalLabel(principal),
    action: 'audit.export',
    result: 'ok',
    status: 200,
    durationMs: 0,
    ip: clientIp(request),
  });
  return new Response(stream, {
    headers: {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.jsonl"`,
      'cache-control': 'no-store',
      // What the download holds: every file, oldest first, each up to its size when the export started.
      'x-audit-files': String(files.length),
      'x-audit-bytes': String(files.reduce((sum, f) => sum + f.bytes, 0)),
    },
  });
});
