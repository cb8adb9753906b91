import { formatMs } from '@/lib/format';
import type { SlowlogEntry } from '@/lib/redis/slowlog';

const MAX_COMMAND = 120;

/** SLOWLOG of every node merged, newest first; commands, keys and client names rendered as text. */
export function ClusterSlowlog({ entries }: { entries: Array<SlowlogEntry & { addr: string; nodeId: string }> }) {
  if (entries.length === 0) return <p className="text-sm text-muted">No slow log entries on any node.</p>;
  return (
    <div className="max-h-96 overflow-auto rounded-lg border border-border">
      <table className="tabular w-full text-left text-sm" data-testid="cluster-slowlog">
        <thead className="sticky top-0 bg-panel text-xs uppercase tracking-wider text-muted">
          <tr>
            <th className="px-3 py-2">time (UTC)</th>
            <th className="px-3 py-2">node</th>
            <th className="px-3 py-2 text-right">duration</th>
            <th className="px-3 py-2">command</th>
            <th className="px-3 py-2">client</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => {
            const command = e.args.join(' ');
            return (
              <tr key={`${e.nodeId}-${e.id}`} className="border-t border-border">
                <td className="whitespace-nowrap px-3 py-1">
                  {new Date(e.timestamp * 1000).toISOString().replace('T', ' ').slice(0, 19)}
                </td>
                <td className="px-3 py-1">{e.addr}</td>
                <td className="px-3 py-1 text-right">{formatMs(e.durationMicros / 1000)}</td>
                <td className="max-w-xl truncate px-3 py-1 font-mono text-xs" title={command}>
                  {command.length > MAX_COMMAND ? `${command.slice(0, MAX_COMMAND)}…` : command}
                </td>
                <td className="max-w-48 truncate px-3 py-1 text-muted" title={`${e.clientAddr} ${e.clientName}`}>
                  {e.clientName || e.clientAddr}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
