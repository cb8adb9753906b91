import Link from 'next/link';
import type { ReactNode } from 'react';
import type { ReplicationLink, NodeSummary as Summary } from '@/lib/cluster/nodeSummary';
import { formatUptime } from '@/lib/cluster/nodeSummary';
import { UNREACHABLE_PHRASE, unreachableAdvice } from '@/lib/cluster/reachability';
import type { SnapshotNode } from '@/lib/cluster/types';
import { formatBytes, formatClock, formatCount, formatMs } from '@/lib/format';
import { Term } from '../common/Term';

function Tile({
  label,
  children,
  sub,
  tone,
  testId,
  wide = false,
}: {
  label: ReactNode;
  children: ReactNode;
  sub?: ReactNode;
  tone?: 'ok' | 'warn' | 'crit';
  testId?: string;
  /** Two columns wide (the replicas of a master). */
  wide?: boolean;
}) {
  const colour = tone === 'crit' ? 'text-crit' : tone === 'warn' ? 'text-warn' : tone === 'ok' ? 'text-ok' : '';
  return (
    <div className={`min-w-0 ${wide ? 'col-span-2' : ''}`} data-testid={testId}>
      <dt className="text-xs uppercase tracking-wider text-muted">{label}</dt>
      <dd className={`tabular truncate text-2xl font-semibold ${colour}`}>{children}</dd>
      {sub && <dd className="text-sm text-muted">{sub}</dd>}
    </div>
  );
}

function NodeLink({ clusterId, node }: { clusterId: string; node: SnapshotNode }) {
  return (
    <Link
      href={`/clusters/${encodeURIComponent(clusterId)}/nodes/${node.id}`}
      className="underline"
      title={node.id}
      data-testid="node-summary-link"
    >
      {node.addr || node.id.slice(0, 8)}
    </Link>
  );
}

function linkText(link: ReplicationLink): string {
  if (link.status === 'up') return 'up';
  if (link.status === 'down')
    return link.downForSeconds !== undefined ? `down for ${formatUptime(link.downForSeconds)}` : 'down';
  return 'unknown';
}

function linkSub(link: ReplicationLink): string | undefined {
  if (link.status === 'up')
    return link.lastIoSecondsAgo !== undefined ? `last data from master ${link.lastIoSecondsAgo} s ago` : undefined;
  if (link.status === 'down')
    return link.downSince ? `since ${formatClock(new Date(link.downSince))}` : 'never up since the last (re)sync';
  return 'the replica does not answer';
}

const linkTone = (link: ReplicationLink) => (link.status === 'up' ? 'ok' : link.status === 'down' ? 'crit' : 'warn');

/**
 * The top of the node page: what an operator needs first (role, master or replicas, replication link and lag, memory,
 * load, reachability) and the failover action where it applies. The raw sections follow, collapsed.
 */
export function NodeSummary({
  clusterId,
  node,
  summary,
  onFailover,
}: {
  clusterId: string;
  node: SnapshotNode;
  summary: Summary;
  /** Operators only: open the failover wizard with this target. */
  onFailover?: (target: { replicaId?: string; masterId?: string }) => void;
}) {
  const { memory, link } = summary;
  return (
    <section
      className="space-y-4 rounded-lg border border-border bg-panel p-4"
      aria-label="Node summary"
      data-testid="node-summary"
      data-role={summary.role}
      data-reachable={String(summary.reachable)}
    >
      <dl className="grid grid-cols-2 gap-x-6 gap-y-4 md:grid-cols-3 lg:grid-cols-5">
        <Tile
          label="role"
          testId="node-summary-role"
          sub={
            summary.role === 'master' ? (
              `${formatCount(node.slotCount)} slots`
            ) : summary.role === 'replica' ? (
              <>
                of{' '}
                {summary.master ? (
                  <NodeLink clusterId={clusterId} node={summary.master} />
                ) : (
                  <span title={summary.masterId}>{summary.masterId?.slice(0, 8) ?? 'no master'}</span>
                )}
              </>
            ) : undefined
          }
        >
          {summary.role.toUpperCase()}
        </Tile>
        <Tile
          label={<Term word="unreachable">reachable from here</Term>}
          testId="node-summary-reachable"
          tone={summary.reachable ? 'ok' : 'warn'}
          sub={
            summary.reachable
              ? node.rttMs !== undefined
                ? `round trip ${formatMs(node.rttMs)}`
                : undefined
              : summary.unreachable && `${UNREACHABLE_PHRASE[summary.unreachable.kind]} (${summary.unreachable.kind})`
          }
        >
          {summary.reachable ? 'yes' : summary.unreachable?.kind === 'outside' ? 'not polled' : 'no'}
        </Tile>
        <Tile
          label="cluster says"
          testId="node-summary-cluster"
          tone={
            summary.clusterSays === 'fail'
              ? 'crit'
              : summary.clusterSays === 'pfail'
                ? 'warn'
                : summary.reachable
                  ? 'ok'
                  : undefined
          }
          sub={
            summary.clusterSays === 'ok'
              ? summary.reachable
                ? 'no node reports it down'
                : 'no node flags it yet: nodes flag PFAIL only after cluster-node-timeout'
              : summary.clusterSays === 'fail'
                ? 'down: a majority of masters agreed'
                : `suspected down: ${node.pfailSeenBy?.length || 'some'} node(s) cannot reach it`
          }
        >
          {summary.clusterSays === 'fail' ? (
            <Term word="FAIL">FAIL</Term>
          ) : summary.clusterSays === 'pfail' ? (
            <Term word="PFAIL">PFAIL</Term>
          ) : summary.reachable ? (
            'healthy'
          ) : (
            'no flag yet'
          )}
        </Tile>
        {summary.role === 'master' && (
          <Tile
            label="replicas"
            wide
            testId="node-summary-replicas"
            tone={summary.replicas.length === 0 && node.slotCount > 0 ? 'warn' : undefined}
            sub={
              summary.replicas.length === 0 ? (
                node.slotCount > 0 ? (
                  'if this master fails, its slots go down with it'
                ) : (
                  'it serves no slots'
                )
              ) : (
                <ul className="space-y-0.5">
                  {summary.replicas.map((r) => (
                    <li key={r.node.id} data-testid="node-summary-replica" data-link={r.link.status}>
                      <NodeLink clusterId={clusterId} node={r.node} />{' '}
                      <span
                        className={
                          r.link.status === 'up' ? 'text-ok' : r.link.status === 'down' ? 'text-crit' : 'text-warn'
                        }
                      >
                        <Term word="master_link_status">link</Term> {linkText(r.link)}
                      </span>
                      {r.lagBytes !== undefined && (
                        <>
                          {' '}
                          · {formatBytes(r.lagBytes)} <Term word="lag" />
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              )
            }
          >
            {summary.replicas.length === 0 ? (
              node.slotCount > 0 ? (
                <>
                  <span aria-hidden="true">! </span>none
                </>
              ) : (
                'none'
              )
            ) : (
              `${summary.replicas.length} · ${summary.replicas.filter((r) => r.link.status === 'up').length} in sync`
            )}
          </Tile>
        )}
        {link && (
          <Tile
            label={<Term word="master_link_status" />}
            testId="node-summary-link-status"
            tone={linkTone(link)}
            sub={linkSub(link)}
          >
            {linkText(link)}
          </Tile>
        )}
        {summary.role === 'replica' && (
          <Tile label={<Term word="lag" />} testId="node-summary-lag" sub="master offset minus this replica's">
            {summary.lagBytes !== undefined ? formatBytes(summary.lagBytes) : '–'}
          </Tile>
        )}
        <Tile
          label="memory used"
          testId="node-summary-memory"
          tone={memory?.high ? 'warn' : undefined}
          sub={
            memory ? (
              memory.ratio !== undefined ? (
                <>
                  of {formatBytes(memory.max)} <Term word="maxmemory" raw />
                </>
              ) : (
                <>
                  no <Term word="maxmemory" raw />
                </>
              )
            ) : (
              'no INFO from this node'
            )
          }
        >
          {memory ? formatBytes(memory.used) : '–'}
          {memory?.ratio !== undefined && (
            <span className="ml-2 text-base font-normal" data-testid="node-summary-memory-pct">
              {Math.round(memory.ratio * 100)} %
            </span>
          )}
        </Tile>
        <Tile label={<Term word="opsPerSec" />} testId="node-summary-ops">
          {summary.opsPerSec !== undefined ? `${formatCount(summary.opsPerSec)}/s` : '–'}
        </Tile>
        <Tile
          label={<Term word="clients" />}
          testId="node-summary-clients"
          sub={summary.clients?.blocked ? `${formatCount(summary.clients.blocked)} blocked` : undefined}
        >
          {summary.clients ? formatCount(summary.clients.connected) : '–'}
        </Tile>
        <Tile label={<Term word="uptime" />} testId="node-summary-uptime">
          {summary.uptimeSeconds !== undefined ? formatUptime(summary.uptimeSeconds) : '–'}
        </Tile>
        {onFailover && summary.failover && (
          <div className="min-w-0 self-center">
            <dt className="sr-only">action</dt>
            <dd>
              <button
                type="button"
                className="rounded border border-warn/70 px-3 py-1.5 text-sm font-semibold hover:bg-warn/10"
                onClick={() => onFailover(summary.failover ?? {})}
                data-testid="node-failover"
              >
                {'replicaId' in summary.failover ? 'Promote this replica…' : 'Fail over to a replica…'}
              </button>
            </dd>
            <dd className="mt-1 text-xs text-muted">
              Opens the wizard: pre-checks and plan, then a typed confirmation.
            </dd>
          </div>
        )}
      </dl>
      {summary.unreachable && (
        <p className="text-sm" data-testid="node-summary-advice">
          <span className="font-semibold text-warn">
            {summary.unreachable.kind === 'outside' ? 'Not polled' : 'No reply to the dashboard'}:{' '}
            {summary.unreachable.error}.
          </span>{' '}
          {unreachableAdvice(summary.unreachable.kind, summary.clusterSays === 'ok', node.role)}
        </p>
      )}
    </section>
  );
}
