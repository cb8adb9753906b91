import { shardColors } from '@/lib/cluster/shardColors';
import type { SnapshotNode } from '@/lib/cluster/types';
import { hostOf } from '@/lib/findings/describe';

/** Rows are hosts, columns are shards: which copies (M master, R replica) of each shard each host holds. */
export function HostsView({ nodes }: { nodes: SnapshotNode[] }) {
  const colours = shardColors(nodes);
  const masters = nodes.filter((n) => n.role === 'master' && n.slotCount > 0);
  const hosts = [...new Set(nodes.map(hostOf))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const shardOf = (n: SnapshotNode) => (n.role === 'master' ? n.id : n.masterId);
  return (
    <div className="overflow-x-auto">
      <table className="tabular text-left text-sm" data-testid="hosts">
        <thead className="text-xs uppercase tracking-wider text-muted">
          <tr>
            <th className="py-1 pr-4">host</th>
            {masters.map((m) => (
              <th key={m.id} className="px-2 py-1" title={m.addr}>
                <span
                  className="inline-block h-3 w-3 rounded-sm align-middle"
                  style={{ background: colours.get(m.id) }}
                  aria-hidden="true"
                />{' '}
                {m.addr}
              </th>
            ))}
            <th className="px-2 py-1">other</th>
          </tr>
        </thead>
        <tbody>
          {hosts.map((host) => {
            const onHost = nodes.filter((n) => hostOf(n) === host);
            return (
              <tr key={host} className="border-t border-border" data-testid="host-row" data-host={host}>
                <td className="py-1 pr-4 font-medium">{host}</td>
                {masters.map((m) => {
                  const copies = onHost.filter((n) => shardOf(n) === m.id);
                  return (
                    <td key={m.id} className="px-2 py-1">
                      {copies.map((n) => (
                        <span
                          key={n.id}
                          className={`mr-1 ${n.flags.includes('fail') ? 'text-crit line-through' : ''}`}
                          title={n.addr}
                        >
                          {n.role === 'master' ? 'M' : 'R'}
                        </span>
                      ))}
                    </td>
                  );
                })}
                <td className="px-2 py-1 text-muted">
                  {onHost
                    .filter((n) => !masters.some((m) => m.id === shardOf(n)))
                    .map((n) => n.addr)
                    .join(', ')}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
