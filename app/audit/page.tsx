import { AuditTable } from '@/components/audit/AuditTable';
import { Forbidden } from '@/components/auth/Forbidden';
import type { AuditRead } from '@/lib/api/types';
import { AUDIT_RESULTS, type AuditFilter, auditFilterOf, filterAudit } from '@/lib/audit/filter';
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

/** A plain GET form: the filter lives in the URL, so a filtered view can be shared and reloaded. */
function FilterForm({ filter, shown, of }: { filter: AuditFilter; shown: number; of: number }) {
  return (
    <form method="get" className="flex flex-wrap items-end gap-3 text-sm" data-testid="audit-filter">
      <label className="flex flex-col gap-1">
        <span className="text-muted">Result</span>
        <select
          name="result"
          defaultValue={filter.result ?? ''}
          className="rounded border border-border bg-panel px-2 py-1"
        >
          <option value="">all</option>
          {AUDIT_RESULTS.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-muted">User, role, action, cluster or address contains</span>
        <input
          name="q"
          defaultValue={filter.text ?? ''}
          maxLength={100}
          className="w-72 rounded border border-border bg-panel px-2 py-1"
        />
      </label>
      <button type="submit" className="rounded border border-border px-3 py-1">
        Filter
      </button>
      {filter.result || filter.text ? (
        <span className="text-muted" data-testid="audit-filter-count">
          {shown} of the newest {of} entries match.{' '}
          <a href="/audit" className="underline">
            Show all
          </a>
        </span>
      ) : null}
    </form>
  );
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { allowed } = await pageAccess('admin', '/audit');
  if (!allowed) return <Forbidden needs="admin" />;
  const read = await readOrError();
  const filter = auditFilterOf(await searchParams);
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
          <FilterForm filter={filter} shown={filterAudit(read.entries, filter).length} of={read.entries.length} />
          <AuditTable entries={filterAudit(read.entries, filter)} filtered={Boolean(filter.result || filter.text)} />
        </>
      )}
    </section>
  );
}
