import type { Finding } from '@/lib/findings/types';
import { formatAge, formatBytes, formatCount, formatMs } from '@/lib/format';
import { DATA_NODE_WORD, dataNodeState, replicaLagBytes } from '@/lib/sentinel/deploymentView';
import type { SentinelDataNode } from '@/lib/sentinel/types';
import type { SentinelNodeState } from '@/lib/sentinel/wall';

const STATE_STYLE: Record<SentinelNodeState, { icon: string; className: string }> = {
  up: { icon: '✓', className: 'text-ok' },
  unreachable: { icon: '?', className: 'text-warn' },
  down: { icon: '✕', className: 'text-crit' },
  lagging: { icon: '!', className: 'text-warn' },
  linkDown: { icon: '!', className: 'text-warn' },
  rogueMaster: { icon: '✕', className: 'text-crit' },
};

/** A node's state in a word and an icon; grey when the data is old (never an old green). */
export function NodeState({
  node,
  stale,
  findings,
}: {
  node: SentinelDataNode;
  stale: boolean;
  findings: readonly Finding[];
}) {
  const state = dataNodeState(node, findings);
  const style = STATE_STYLE[state];
  return (
    <span
      className={`font-semibold ${stale ? 'text-unknown' : style.className}`}
      data-testid="node-state"
      data-state={state}
    >
      <span aria-hidden="true">{style.icon}</span> {DATA_NODE_WORD[state]}
      {node.error && <span className="ml-2 font-normal text-muted [overflow-wrap:anywhere]">({node.error})</span>}
    </span>
  );
}

/** What the node says of itself, and when the sentinels say otherwise. */
function RoleSays({ node, expected }: { node: SentinelDataNode; expected: 'master' | 'replica' }) {
  if (node.role === null) return <span className="text-muted">–</span>;
  if (node.role === expected) return <span>{node.role}</span>;
  return (
    <span className="font-semibold text-crit" title={`the sentinels list it as ${expected}`}>
      <span aria-hidden="true">✕</span> says {node.role} (sentinels: {expected})
    </span>
  );
}

function Field({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs uppercase tracking-wider text-muted">{label}</dt>
      <dd className="tabular text-lg font-semibold [overflow-wrap:anywhere]" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

function minReplicas(node: SentinelDataNode): { text: string; warn: boolean } {
  if (node.minReplicasToWrite === undefined) return { text: '–', warn: false };
  if (node.minReplicasToWrite === null)
    return { text: `could not be read${node.configError ? ` (${node.configError})` : ''}`, warn: true };
  if (node.minReplicasToWrite === 0)
    return { text: '0: off — acknowledged writes can be lost on failover', warn: true };
  const lag = node.minReplicasMaxLag;
  return { text: `${node.minReplicasToWrite}${lag ? `, max lag ${lag} s` : ''}`, warn: false };
}

/** The master the sentinels name, as it answers the dashboard: role as it says, memory, load, write safety. */
export function MasterCard({
  master,
  stale,
  highlighted,
  findings,
}: {
  master: SentinelDataNode | null;
  stale: boolean;
  highlighted: boolean;
  findings: readonly Finding[];
}) {
  if (!master)
    return (
      <p
        className="rounded-lg border-2 border-crit bg-crit/10 px-4 py-3 text-lg font-semibold"
        data-testid="sentinel-master"
        data-addr=""
      >
        <span aria-hidden="true">✕</span> No sentinel names a master: none answers, or none knows the master name.
      </p>
    );
  const safety = minReplicas(master);
  const memory =
    master.usedMemory === undefined
      ? '–'
      : `${formatBytes(master.usedMemory)}${master.maxMemory ? ` of ${formatBytes(master.maxMemory)}` : ' (no maxmemory)'}`;
  return (
    <div
      className={`rounded-lg border-2 bg-panel px-4 py-3 ${highlighted && !stale ? 'border-warn' : 'border-border'}`}
      data-testid="sentinel-master"
      data-addr={master.addr}
      data-role={master.role ?? 'unknown'}
    >
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <span className="text-xs uppercase tracking-wider text-muted">master</span>
        <span
          className="text-3xl font-bold [overflow-wrap:anywhere]"
          title={master.connectAddr ? `dialled at ${master.connectAddr}` : undefined}
        >
          {master.addr}
        </span>
        <span className="text-muted">host {master.host}</span>
        <NodeState node={master} stale={stale} findings={findings} />
      </div>
      <dl className="mt-3 grid grid-cols-[repeat(auto-fill,minmax(10rem,1fr))] gap-x-6 gap-y-2">
        <Field label="role (as it says)" testId="master-role">
          <RoleSays node={master} expected="master" />
        </Field>
        <Field label="memory">{memory}</Field>
        <Field label="ops/s">{master.opsPerSec === undefined ? '–' : formatCount(master.opsPerSec)}</Field>
        <Field label="clients">
          {master.connectedClients === undefined ? '–' : formatCount(master.connectedClients)}
        </Field>
        <Field label="replicas connected">
          {master.connectedReplicas === undefined ? '–' : formatCount(master.connectedReplicas)}
        </Field>
        <Field label="keys">{master.keys === undefined ? '–' : formatCount(master.keys)}</Field>
        <Field label="version / uptime">
          {master.version ?? '–'}
          {master.uptimeSeconds !== undefined && (
            <span className="text-muted"> · up {formatAge(master.uptimeSeconds * 1000).replace(' ago', '')}</span>
          )}
        </Field>
        <Field label="INFO round trip">{master.latencyMs === undefined ? '–' : formatMs(master.latencyMs)}</Field>
      </dl>
      <p className={`mt-2 text-base ${safety.warn && !stale ? 'text-warn' : ''}`} data-testid="master-min-replicas">
        <span className="text-muted">min-replicas-to-write: </span>
        {safety.warn && <span aria-hidden="true">! </span>}
        {safety.text}
      </p>
    </div>
  );
}

/** The replicas: replication link, lag, priority, and whether the sentinels know them. */
export function ReplicasTable({
  replicas,
  masterAddr,
  masterOffset,
  sentinelsReachable,
  stale,
  highlighted,
  findings,
}: {
  replicas: SentinelDataNode[];
  masterAddr: string | undefined;
  /** The master's master_repl_offset this poll (additive): a replica level with it shows lag 0. */
  masterOffset?: number;
  sentinelsReachable: number;
  stale: boolean;
  highlighted: ReadonlySet<string>;
  findings: readonly Finding[];
}) {
  if (replicas.length === 0)
    return (
      <p className={`font-semibold ${stale ? 'text-unknown' : 'text-warn'}`} data-testid="sentinel-replicas-none">
        <span aria-hidden="true">!</span> No replica: a failover has nothing to promote.
      </p>
    );
  const warn = stale ? 'text-unknown' : 'text-warn';
  const crit = stale ? 'text-unknown' : 'text-crit';
  return (
    <div className="overflow-x-auto">
      <table className="tabular w-full text-left text-sm" data-testid="sentinel-replicas">
        <thead className="text-xs uppercase tracking-wider text-muted">
          <tr>
            <th className="py-1 pr-4">replica</th>
            <th className="py-1 pr-4">state</th>
            <th className="py-1 pr-4">role (as it says)</th>
            <th className="py-1 pr-4">replicates from</th>
            <th className="py-1 pr-4">link</th>
            <th className="py-1 pr-4">lag</th>
            <th className="py-1 pr-4">priority</th>
            <th className="py-1 pr-4">known to sentinels</th>
          </tr>
        </thead>
        <tbody>
          {replicas.map((r) => {
            const lag = replicaLagBytes(r, masterOffset);
            const wrongMaster = r.masterAddr !== undefined && masterAddr !== undefined && r.masterAddr !== masterAddr;
            const unknown = r.knownBySentinels < sentinelsReachable;
            return (
              <tr
                key={r.addr}
                className={`border-t border-border align-top ${highlighted.has(r.addr) && !stale ? 'bg-warn/10' : ''}`}
                data-testid="sentinel-replica"
                data-addr={r.addr}
              >
                <td className="py-1 pr-4">
                  <div className="font-semibold">{r.addr}</div>
                  <div className="text-xs text-muted">host {r.host}</div>
                </td>
                <td className="py-1 pr-4">
                  <NodeState node={r} stale={stale} findings={findings} />
                </td>
                <td className="py-1 pr-4">
                  <RoleSays node={r} expected="replica" />
                </td>
                <td className={`py-1 pr-4 ${wrongMaster ? `font-semibold ${crit}` : ''}`}>
                  {r.masterAddr ?? '–'}
                  {wrongMaster && <span className="block text-xs">not the sentinels&apos; master</span>}
                </td>
                <td className="py-1 pr-4">
                  {r.linkUp === undefined ? (
                    '–'
                  ) : r.linkUp ? (
                    <span>up</span>
                  ) : (
                    <span className={`font-semibold ${warn}`}>
                      <span aria-hidden="true">!</span> down
                    </span>
                  )}
                  {r.lastIoSeconds !== undefined && (
                    <span className="block text-xs text-muted">last I/O {r.lastIoSeconds} s ago</span>
                  )}
                </td>
                <td className="py-1 pr-4" data-testid="replica-lag">
                  {lag === undefined ? '–' : formatBytes(lag)}
                  {r.lagSeconds !== undefined && (
                    <span
                      className="block text-xs text-muted"
                      title="master's INFO lag=: seconds since the replica's last ACK (it ACKs once a second)"
                    >
                      last ack {r.lagSeconds} s ago
                    </span>
                  )}
                </td>
                <td className="py-1 pr-4">
                  {r.priority === undefined ? '–' : r.priority === 0 ? '0 (never promoted)' : r.priority}
                </td>
                <td className={`py-1 pr-4 ${unknown ? `font-semibold ${warn}` : ''}`}>
                  {unknown && <span aria-hidden="true">! </span>}
                  {r.knownBySentinels} of {sentinelsReachable}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
