import { shardColors } from '@/lib/cluster/shardColors';
import type { SnapshotNode } from '@/lib/cluster/types';
import { formatAge, formatBytes, formatCount, shortId } from '@/lib/format';
import { NodeFlags } from '../cluster/NodeFlags';

function lag(master: SnapshotNode, replica: SnapshotNode): string {
  if (!master.info || replica.info?.slave_repl_offset === undefined) return '–';
  return formatBytes(Math.max(0, master.info.master_repl_offset - replica.info.slave_repl_offset));
}

/** Each shard: its master and, per replica, link state, master_link_status, offset lag, last pong, flags, epoch. */
export function ShardsView({
  nodes,
  now,
  onFailover,
}: {
  nodes: SnapshotNode[];
  now: number;
  /** Shown to operators: open the failover wizard for a replica, or for a master's best replica. */
  onFailover?: (target: { replicaId?: string; masterId?: string }) => void;
}) {
  const colours = shardColors(nodes);
  const masters = nodes.filter((n) => n.role === 'master' && n.slotCount > 0);
  return (
    <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-3" data-testid="shards">
      {masters.map((master) => {
        const replicas = nodes.filter((n) => n.role === 'replica' && n.masterId === master.id);
        return (
          <section
            key={master.id}
            className="rounded-lg border border-border bg-panel p-3"
            data-testid="shard"
            data-master-id={master.id}
          >
            <header className="mb-2 flex items-center gap-2">
              <span
                className="inline-block h-3 w-3 rounded-sm"
                style={{ background: colours.get(master.id) }}
                aria-hidden="true"
              />
              <span className="font-semibold">{master.addr}</span>
              <span className="text-xs text-muted" title={master.id}>
                {shortId(master.id)}
              </span>
              <span className="ml-auto text-sm text-muted">
                {formatCount(master.slotCount)} slots · epoch {master.configEpoch}
              </span>
              {onFailover && replicas.length > 0 && (
                <button
                  type="button"
                  className="rounded border border-border px-2 py-0.5 text-xs hover:border-warn"
                  onClick={() => onFailover({ masterId: master.id })}
                  data-testid="failover-master"
                >
                  Fail over
                </button>
              )}
            </header>
            {replicas.length === 0 ? (
              <p className="text-sm font-semibold text-warn">
                <span aria-hidden="true">!</span> no replica
              </p>
            ) : (
              <div className="overflow-x-auto">
                <table className="tabular w-full text-left text-xs">
                  <thead className="text-muted">
                    <tr>
                      <th className="pr-2">replica</th>
                      <th className="pr-2">link</th>
                      <th className="pr-2">master_link</th>
                      <th className="pr-2 text-right">lag</th>
                      <th className="pr-2 text-right">last pong</th>
                      <th className="pr-2">flags</th>
                      <th className="text-right">epoch</th>
                    </tr>
                  </thead>
                  <tbody>
                    {replicas.map((r) => (
                      <tr key={r.id} className="border-t border-border" data-testid="shard-replica">
                        <td className="pr-2">{r.addr}</td>
                        <td className={`pr-2 ${r.linkState === 'connected' ? '' : 'text-crit'}`}>{r.linkState}</td>
                        <td className={`pr-2 ${r.info?.master_link_status === 'up' ? 'text-ok' : 'text-crit'}`}>
                          {r.info?.master_link_status ?? '?'}
                        </td>
                        <td className="pr-2 text-right">{lag(master, r)}</td>
                        <td className="pr-2 text-right">{r.pongRecvMs > 0 ? formatAge(now - r.pongRecvMs) : '–'}</td>
                        <td className="pr-2">
                          <NodeFlags flags={r.flags} />
                        </td>
                        <td className="text-right">{r.configEpoch}</td>
                        {onFailover && (
                          <td className="pl-2 text-right">
                            <button
                              type="button"
                              className="rounded border border-border px-2 py-0.5 hover:border-warn"
                              onClick={() => onFailover({ replicaId: r.id })}
                              data-testid="failover-replica"
                            >
                              Promote
                            </button>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        );
      })}
    </div>
  );
}
