import { AuditTable } from '@/components/audit/AuditTable';
import { Forbidden } from '@/components/auth/Forbidden';
import { readAudit } from '@/server/audit/log';
import { pageAccess } from '@/server/auth/pageAccess';

export const dynamic = 'force-dynamic';

export default async function AuditPage() {
  const { allowed } = await pageAccess('admin', '/audit');
  if (!allowed) return <Forbidden needs="admin" />;
  const entries = await readAudit(500);
  return (
    <section className="space-y-4">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <a href="/api/audit/export" className="text-sm underline">
          Export (JSON lines)
        </a>
      </div>
      <AuditTable entries={entries} />
    </section>
  );
}
