import { AuditTable } from '@/components/audit/AuditTable';
import { Forbidden } from '@/components/auth/Forbidden';
import type { AuditRead } from '@/lib/api/types';
import { AuditLogUnreadable } from '@/server/audit/files';
import { readAudit } from '@/server/audit/log';
import { pageAccess } from '@/server/auth/pageAccess';

export const dynamic = 'force-dynamic';

const SHOWN = 500;

/** What the table leaves out, in words: older entries, rotated files, lines that could not be read. */
function coverage({ entries, olderFiles, truncated, skippedLines }: AuditRead): string[] {
  const notes: string[] = [];
  if (truncated) notes.push(`The newest ${entries.length} entries are shown; older ones are in the export.`);
  if (olderFiles > 0)
    notes.push(
      `The log has been rotated: ${olderFiles} older file${olderFiles === 1 ? '' : 's'} next to the current one; the export includes ${olderFiles === 1 ? 'it' : 'them'}, oldest first.`,
    );
  if (skippedLines > 0)
    notes.push(
      `${skippedLines} line${skippedLines === 1 ? '' : 's'} could not be read (torn or over-long) and ${skippedLines === 1 ? 'is' : 'are'} not shown.`,
    );
  return notes;
}

async function readOrError(): Promise<AuditRead | AuditLogUnreadable> {
  try {
    return await readAudit(SHOWN);
  } catch (err) {
    if (err instanceof AuditLogUnreadable) return err;
    throw err;
  }
}

export default async function AuditPage() {
  const { allowed } = await pageAccess('admin', '/audit');
  if (!allowed) return <Forbidden needs="admin" />;
  const read = await readOrError();
  return (
    <section className="space-y-4">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <a href="/api/audit/export" className="text-sm underline">
          Export (JSON lines)
        </a>
      </div>
      {read instanceof AuditLogUnreadable ? (
        <p className="rounded border border-crit/60 bg-crit/10 p-4 text-sm" role="alert" data-testid="audit-error">
          The audit log cannot be read: {read.errno} ({read.file}). Nothing can be shown until auditLogPath names a
          readable file.
        </p>
      ) : (
        <>
          {coverage(read).map((note) => (
            <p key={note} className="text-sm text-muted" data-testid="audit-coverage">
              {note}
            </p>
          ))}
          <AuditTable entries={read.entries} />
        </>
      )}
    </section>
  );
}
