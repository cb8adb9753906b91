import { formatCount } from '@/lib/format';
import { formatMemoryPct, memoryTone } from '@/lib/overview/glance';
import { DATA_NODE_WORD, stripNodes } from '@/lib/sentinel/deploymentView';
import type { SentinelNodeGlance, SentinelNodeState } from '@/lib/sentinel/wall';
import { haproxyGlanceWord, type SentinelGlance } from '../overview/sentinelGlance';
import { fs, SIZE, WallStat } from './wallParts';

const STATE: Record<SentinelNodeState, { icon: string; word: string; className: string }> = {
  up: { icon: '✓', word: DATA_NODE_WORD.up, className: 'text-ok bg-bg/60' },
  unreachable: { icon: '?', word: 'unreachable', className: 'text-warn bg-warn/15' },
  down: { icon: '✕', word: 'down', className: 'text-crit bg-crit/20' },
  lagging: { icon: '!', word: DATA_NODE_WORD.lagging, className: 'text-warn bg-warn/15' },
  linkDown: { icon: '!', word: DATA_NODE_WORD.linkDown, className: 'text-warn bg-warn/15' },
  rogueMaster: { icon: '✕', word: DATA_NODE_WORD.rogueMaster, className: 'text-crit bg-crit/20' },
};

/** Old data is never drawn in status colours. */
const STALE_CELL = 'text-unknown bg-bg/60';

/** Past this many data nodes the strip shows the master and the nodes not up first, the others as one count. */
const STRIP_MAX = 6;

/** The master and its replicas in place of a cluster's shard strip: role and state in words, the master outlined. */
function NodeStrip({ nodes, stale }: { nodes: SentinelNodeGlance[]; stale: boolean }) {
  const { shown, rest, restNotUp } = stripNodes(nodes, STRIP_MAX);
  return (
    <div>
      <div className="uppercase tracking-wider text-muted" style={fs(SIZE.label)}>
        master + replicas <span className="normal-case">({nodes.length})</span>
      </div>
      <ul className="mt-[0.6cqh] flex flex-wrap gap-[0.8cqw]" data-testid="wall-data-nodes" data-count={nodes.length}>
        {shown.map((n) => {
          const s = STATE[n.state];
          // A node that is not up is as wide as its words need (never "replica unr…"); the up ones share the rest.
          return (
            <li
              key={n.addr}
              className={`flex flex-col justify-center rounded-sm px-[1cqw] py-[0.8cqh] ${n.state === 'up' ? 'min-w-0 flex-1 basis-[14cqw]' : 'flex-auto'} ${stale ? STALE_CELL : s.className}`}
              style={{ borderTop: `1.4cqh solid ${n.role === 'master' ? 'var(--text)' : 'var(--border)'}` }}
              title={`${n.role} ${n.addr}: ${s.word}`}
              data-testid="wall-data-node"
              data-role={n.role}
              data-state={n.state}
            >
              <span className="truncate font-bold leading-tight" style={fs(SIZE.shard)}>
                <span aria-hidden="true">{s.icon}</span> {n.role === 'master' ? 'master' : 'replica'}
                {n.state !== 'up' && ` ${s.word}`}
              </span>
              <span className="tabular truncate leading-tight text-muted" style={fs(SIZE.label)}>
                {n.addr}
              </span>
            </li>
          );
        })}
        {rest > 0 && (
          <li
            className={`flex flex-auto flex-col justify-center rounded-sm bg-bg/60 px-[1cqw] py-[0.8cqh] font-bold ${stale ? 'text-unknown' : restNotUp > 0 ? 'text-warn' : 'text-ok'}`}
            style={{ borderTop: '1.4cqh solid var(--border)', ...fs(SIZE.shard) }}
            data-testid="wall-data-nodes-rest"
          >
            {restNotUp > 0 ? `! ${rest} more, ${restNotUp} not up` : `✓ ${rest} more replicas up`}
          </li>
        )}
        {nodes.length === 0 && (
          <li className="text-muted" style={fs(SIZE.shard)}>
            no master named
          </li>
        )}
      </ul>
    </div>
  );
}

/** A Sentinel deployment's tile below the headline: its nodes, then data nodes up (of the master and the replicas the sentinels list), sentinels, HAProxy, load. */
export function SentinelTileBody({ glance, stale }: { glance: SentinelGlance; stale: boolean }) {
  const proxy = haproxyGlanceWord(glance);
  return (
    <div className={`flex flex-col gap-[2.4cqh] ${stale ? 'opacity-50' : ''}`}>
      {glance.nodes && <NodeStrip nodes={glance.nodes} stale={stale} />}
      <div className="grid grid-cols-5 gap-[1.6cqw]">
        <WallStat
          label="nodes up"
          value={`${glance.nodesUp}/${glance.nodesKnown}`}
          tone={!stale && glance.nodesUp < glance.nodesKnown ? 'crit' : undefined}
          testId="wall-nodes-up"
        />
        <WallStat
          label="sentinels"
          value={`${glance.sentinelsUp}/${glance.sentinelsTotal}`}
          tone={!stale && glance.sentinelsUp < glance.sentinelsTotal ? 'warn' : undefined}
          testId="wall-sentinels-up"
        />
        <WallStat
          label="HAProxy"
          value={proxy.text}
          tone={stale ? undefined : proxy.tone}
          testId="wall-haproxy"
          big={proxy.text === 'OK'}
        />
        <WallStat label="ops/s" value={formatCount(glance.opsPerSec)} testId="wall-ops" />
        <WallStat
          label="memory"
          value={formatMemoryPct(glance.memory)}
          tone={stale ? undefined : memoryTone(glance.memory)}
          testId="wall-memory"
        />
      </div>
    </div>
  );
}
