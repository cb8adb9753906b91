import type { SnapshotNode } from '@/lib/cluster/types';
import { formatAge, formatBytes, formatCount, shortId } from '@/lib/format';
import { NodeFlags } from '../cluster/NodeFlags';
import { Term } from '../common/Term';
import { NodeActions } from '../lifecycle/NodeActions';

function lag(master: SnapshotNode, replica: SnapshotNode): string {
  if (!master.info || replica.info?.slave_repl_offset === undefined) return '–';
  return formatBytes(Math.max(0, master.info.master_repl_offset - replica.info.slave_repl_offset));
}

const suspected = (n: SnapshotNode) => n.flags.includes('fail') || n.flags.includes('fail?');

/** The master's state in words: what the cluster says first, then whether the dashboard reaches it. */
function MasterState({ master }: { master: SnapshotNode }) {
  if (master.flags.includes('fail') || master.flags.includes('fail?')) return <NodeFlags flags={master.flags} />;
  if (master.outsideNodeNetworks)
    return (
      <span className="text-crit" title={master.error}>
        <span aria-hidden="true">✕</span> not polled (outside nodeNetworks)
      </span>
    );
  if (!master.reachable)
    return (
      <span className="text-warn" title={master.error}>
        <span aria-hidden="true">!</span> <Term word="unreachable" />
      </span>
    );
  return null;
}

export interface ShardActions {
  /** Shown to operators: open the failover wizard for a replica, or for a master's best replica. */
  onFailover?: (target: { replicaId?: string; masterId?: string }) => void;
  /** Shown to operators: open the reshard dialog with this master's slots as the source. */
  onMoveSlots?: (masterId: string) => void;
  /** Shown to operators: open the drain of this master (every slot to the others by weight). */
  onDrain?: (masterId: string) => void;
  /** Remove node… on a master card (admins). */
  onRemove?: (nodeId: string) => void;
  /** Move replica… on each replica of a card (operators). */
  onMoveReplica?: (replicaId: string) => void;
}

/** One shard: its master, and per replica the link, replication link, lag, last pong, flags and epoch on two lines. */
export function ShardCard({
  master,
  replicas,
  colour,
  now,
  onFailover,
  onMoveSlots,
  onDrain,
  onRemove,
  onMoveReplica,
}: ShardActions & { master: SnapshotNode; replicas: SnapshotNode[]; colour?: string; now: number }) {
  return (
    <section
      className="min-w-0 rounded-lg border border-border bg-panel p-3"
      data-testid="shard"
      data-master-id={master.id}
    >
      <header className="mb-2 flex flex-wrap items-center gap-x-2 gap-y-1">
        <span className="inline-block h-3 w-3 shrink-0 rounded-sm" style={{ background: colour }} aria-hidden="true" />
        <span className="font-semibold">{master.addr}</span>
        <span className="text-xs text-muted" title={master.id}>
          {shortId(master.id)}
        </span>
        <MasterState master={master} />
        {onFailover && replicas.length > 0 && (
          <button
            type="button"
            className="ml-auto rounded border border-border px-2 py-0.5 text-xs hover:border-warn"
            onClick={() => onFailover({ masterId: master.id })}
            data-testid="failover-master"
            title="Open the guided failover for this master's best replica: pre-checks first, nothing runs until you confirm"
          >
            Fail over…
          </button>
        )}
        <span className="flex basis-full flex-wrap items-center gap-2 text-xs text-muted">
          {formatCount(master.slotCount)} slots · <Term word="epoch" /> {master.configEpoch}
          {onMoveSlots && (
            <button
              type="button"
              className="ml-auto rounded border border-border px-2 py-0.5 text-text hover:border-warn"
              onClick={() => onMoveSlots(master.id)}
              data-testid="reshard-open"
              title="Open the reshard with this master's slots as the source: pick the target and how many slots, see the plan; nothing moves until you confirm"
            >
              Move slots to…
            </button>
          )}
          {onDrain && (
            <button
              type="button"
              className={`${onMoveSlots ? '' : 'ml-auto '}rounded border border-border px-2 py-0.5 text-text hover:border-warn`}
              onClick={() => onDrain(master.id)}
              data-testid="drain-open"
              title="Open the drain of this master: every slot to the other masters by weight (the step before removing it); the plan first, nothing moves until you confirm"
            >
              Drain…
            </button>
          )}
          {onRemove && <NodeActions node={master} onRemove={onRemove} />}
        </span>
      </header>
      {replicas.length === 0 ? (
        <p className="text-sm font-semibold text-warn">
          <span aria-hidden="true">!</span> no replica: nothing can take over if this master fails
        </p>
      ) : (
        <ul className="tabular space-y-1 text-xs">
          {replicas.map((r) => {
            const linkUp = r.info?.master_link_status === 'up';
            // The replica's own word about its link lags a master that hangs or died (repl-timeout, 60 s).
            // A master outside nodeNetworks is not polled, which says nothing about the replica's link to it.
            const masterNotPolled = master.outsideNodeNetworks === true;
            const masterTrouble = (!master.reachable && !masterNotPolled) || suspected(master);
            const cannotPromote = r.flags.includes('fail')
              ? 'This replica is marked FAIL: it cannot be promoted.'
              : r.outsideNodeNetworks
                ? 'This replica is outside nodeNetworks: the dashboard does not connect to it.'
                : !r.reachable
                  ? 'This replica does not answer the dashboard: it cannot be promoted from here.'
                  : undefined;
            return (
              <li key={r.id} className="border-t border-border pt-1" data-testid="shard-replica">
                <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                  <span className="text-sm">{r.addr}</span>
                  <span className="text-muted" title={r.id}>
                    {shortId(r.id)}
                  </span>
                  {r.flags.some((f) => f !== 'slave') && <NodeFlags flags={r.flags} />}
                  {onFailover && (
                    <button
                      type="button"
                      className="ml-auto rounded border border-border px-2 py-0.5 hover:border-warn disabled:cursor-not-allowed disabled:opacity-50"
                      onClick={() => onFailover({ replicaId: r.id })}
                      data-testid="failover-replica"
                      disabled={cannotPromote !== undefined}
                      title={
                        cannotPromote ??
                        'Open the guided failover promoting this replica: pre-checks first, nothing runs until you confirm'
                      }
                    >
                      Promote…
                    </button>
                  )}
                  {onMoveReplica && <NodeActions node={r} onMoveReplica={onMoveReplica} />}
                </div>
                <div className="flex flex-wrap gap-x-3 text-muted">
                  <span className={linkUp && !masterTrouble ? 'text-ok' : linkUp ? 'text-warn' : 'text-crit'}>
                    <Term word="master_link_status" />:{' '}
                    {r.info?.master_link_status
                      ? linkUp && masterTrouble
                        ? 'last reported up (its master does not answer)'
                        : linkUp && masterNotPolled
                          ? 'up (its master is not polled: outside nodeNetworks)'
                          : r.info.master_link_status
                      : r.reachable
                        ? '?'
                        : r.outsideNodeNetworks
                          ? 'unknown (not polled: outside nodeNetworks)'
                          : 'unknown (unreachable from here)'}
                  </span>
                  <span>
                    <Term word="lag" /> {lag(master, r)}
                  </span>
                  <span className={r.linkState === 'connected' && !suspected(r) ? '' : 'text-warn'}>
                    <Term word="link" />:{' '}
                    {r.linkState === 'connected' ? (suspected(r) ? 'open, no replies' : 'up') : 'down'}
                  </span>
                  <span>last pong {r.pongRecvMs > 0 ? formatAge(now - r.pongRecvMs) : '–'}</span>
                  <span>
                    <Term word="epoch" /> {r.configEpoch}
                  </span>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
