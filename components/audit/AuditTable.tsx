import type { AuditEntry } from '@/lib/api/types';

const RESULT_STYLE: Record<AuditEntry['result'], string> = { ok: 'text-ok', refused: 'text-warn', failed: 'text-crit' };

/** Times in UTC with the zone written out; every field is rendered as text. */
export function AuditTable({ entries, filtered = false }: { entries: AuditEntry[]; filtered?: boolean }) {
  if (entries.length === 0)
    return <p className="text-muted">{filtered ? 'No entry matches the filter.' : 'No entries yet.'}</p>;
  return (
    <div className="overflow-x-auto rounded-lg border border-border">
      <table className="tabular w-full text-left text-sm" data-testid="audit-table">
        <thead className="bg-panel text-xs uppercase tracking-wider text-muted">
          <tr>
            {[
              'time (UTC)',
              'user (role)',
              'from',
              'action',
              'result',
              'reason',
              'cluster',
              'targets',
              'parameters',
            ].map((h) => (
              <th key={h} className="px-3 py-2">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {entries.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a server-rendered list that is never reordered; two entries can share a timestamp
            <tr key={`${e.at}-${i}`} className="border-t border-border align-top" data-testid="audit-row">
              <td className="whitespace-nowrap px-3 py-2">{e.at.replace('T', ' ').replace('Z', ' UTC')}</td>
              <td className="px-3 py-2">
                {e.user} <span className="text-muted">({e.role})</span>
              </td>
              <td className="px-3 py-2 text-muted">{e.ip ?? ''}</td>
              <td className="px-3 py-2 font-medium">{e.action}</td>
              <td className={`whitespace-nowrap px-3 py-2 ${RESULT_STYLE[e.result]}`} title={`${e.durationMs} ms`}>
                {e.result} <span className="text-muted">{e.status}</span>
              </td>
              <td className="max-w-80 px-3 py-2 text-muted" title={e.reason}>
                {e.reason ?? ''}
              </td>
              <td className="px-3 py-2">{e.cluster ?? '–'}</td>
              <td className="max-w-48 truncate px-3 py-2" title={e.targets?.join(', ')}>
                {e.targets?.join(', ') ?? '–'}
              </td>
              <td
                className="max-w-64 truncate px-3 py-2 font-mono text-xs"
                title={e.params ? JSON.stringify(e.params) : undefined}
              >
                {e.params ? JSON.stringify(e.params) : '–'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
