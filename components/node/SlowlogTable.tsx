import type { ClusterSlowlogResponse } from '@/lib/api/types';
import { formatMs } from '@/lib/format';
import { type NotPermitted, notPermittedText } from '@/lib/redis/refusal';
import type { SlowlogEntry } from '@/lib/redis/slowlog';

const MAX_COMMAND = 160;

type Entry = SlowlogEntry & { nodeId?: string; addr?: string };

/**
 * Slow log entries, newest first, of one node or of every node merged (then with a node column). Commands, key
 * names and client names come from Redis: rendered as text, cut with an ellipsis.
 */
export function SlowlogTable({
  entries,
  notPermitted,
  skipped = [],
}: {
  entries: Entry[];
  /** The node refused SLOWLOG GET: said in place of the table. */
  notPermitted?: NotPermitted;
  /** Merged slow log: the nodes left out, and why. */
  skipped?: ClusterSlowlogResponse['skipped'];
}) {
  if (notPermitted) {
    return (
      <p className="text-warn" data-testid="slowlog-not-permitted">
        {notPermittedText(notPermitted)}
      </p>
    );
  }
  const left =
    skipped.length > 0 ? (
      <ul className="text-sm" data-testid="slowlog-skipped">
        {skipped.map((s) => (
          <li key={s.nodeId} className={s.notPermitted ? 'text-warn' : 'text-muted'}>
            {s.addr}: {s.notPermitted ? notPermittedText(s.notPermitted) : `not read (${s.error ?? 'unknown error'})`}
          </li>
        ))}
      </ul>
    ) : null;
  if (entries.length === 0) {
    return (
      <>
        <p className="text-muted">The slow log is empty (nothing slower than slowlog-log-slower-than yet).</p>
        {left}
      </>
    );
  }
  const merged = entries.some((e) => e.addr !== undefined);
  return (
    <>
      {left}
      <div className="max-h-[32rem] overflow-auto rounded-lg border border-border">
        <table className="tabular w-full text-left text-sm" data-testid="slowlog-table">
          <thead className="sticky top-0 bg-panel text-xs uppercase tracking-wider text-muted">
            <tr>
              <th className="px-3 py-2">time (UTC)</th>
              {merged && <th className="px-3 py-2">node</th>}
              <th className="px-3 py-2 text-right">duration</th>
              <th className="px-3 py-2">command</th>
              <th className="px-3 py-2">client</th>
              <th className="px-3 py-2">client name</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => {
              const command = e.args.join(' ');
              return (
                <tr key={`${e.nodeId ?? ''}-${e.id}`} className="border-t border-border" data-testid="slowlog-row">
                  <td className="whitespace-nowrap px-3 py-2">
                    {new Date(e.timestamp * 1000).toISOString().replace('T', ' ').slice(0, 19)}
                  </td>
                  {merged && <td className="px-3 py-2">{e.addr}</td>}
                  <td className="px-3 py-2 text-right">{formatMs(e.durationMicros / 1000)}</td>
                  <td className="max-w-xl truncate px-3 py-2 font-mono text-xs" title={command}>
                    {command.length > MAX_COMMAND ? `${command.slice(0, MAX_COMMAND)}…` : command}
                  </td>
                  <td className="px-3 py-2 text-muted">{e.clientAddr}</td>
                  <td className="max-w-48 truncate px-3 py-2" title={e.clientName}>
                    {e.clientName || '–'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
