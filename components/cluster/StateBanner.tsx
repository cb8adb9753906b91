import type { SnapshotResponse } from '@/lib/api/types';
import type { Freshness } from '@/lib/cluster/freshness';
import { nodeCounts } from '@/lib/cluster/nodeCounts';
import { formatCount } from '@/lib/format';
import type { GlossaryWord } from '@/lib/glossary';
import { type ClusterHealth, HEALTH_LABEL } from '@/lib/health/clusterHealth';
import { Term } from '../common/Term';

/** Health colours: status only (ok green, degraded amber, down red, unknown/stale grey). */
export const HEALTH_STYLE = {
  ok: { frame: 'border-ok', text: 'text-ok', icon: '✓' },
  degraded: { frame: 'border-warn', text: 'text-warn', icon: '!' },
  down: { frame: 'border-crit', text: 'text-crit', icon: '✕' },
  unknown: { frame: 'border-unknown', text: 'text-unknown', icon: '?' },
} as const;

function Stat({
  label,
  term,
  value,
  testId,
  tone,
}: {
  label?: string;
  term?: GlossaryWord;
  value: string;
  testId: string;
  tone?: 'warn' | 'crit';
}) {
  const colour = tone === 'crit' ? 'text-crit' : tone === 'warn' ? 'text-warn' : '';
  return (
    <div className="min-w-0">
      <div className="truncate text-xs text-muted">{term ? <Term word={term} /> : label}</div>
      <div className={`tabular text-2xl font-semibold ${colour}`} data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

const field = (snapshot: SnapshotResponse, name: string) => {
  const value = snapshot.state[name];
  return typeof value === 'number' ? value : undefined;
};

/**
 * The headline of the cluster page: one health from the worst finding, in the largest type, naming what is wrong.
 * Redis's own cluster_state and the slot counters are secondary: cluster_state stays "ok" while a master hangs.
 */
export function StateBanner({
  snapshot,
  freshness,
  health,
}: {
  snapshot: SnapshotResponse;
  freshness: Freshness;
  health: ClusterHealth;
}) {
  const style = HEALTH_STYLE[health.health];
  const pfail = field(snapshot, 'cluster_slots_pfail') ?? 0;
  const failed = field(snapshot, 'cluster_slots_fail') ?? 0;
  const assigned = field(snapshot, 'cluster_slots_assigned');
  // Nodes outside nodeNetworks are not polled: counted apart, never as nodes that do not answer.
  const nodes = nodeCounts(snapshot);
  const down = nodes.polled - nodes.answering;
  const [, detail = ''] = health.headline.split(' — ');
  return (
    <section
      className={`space-y-4 rounded-lg border-4 bg-panel px-6 py-4 ${style.frame}`}
      data-testid="cluster-health"
      data-health={health.health}
      aria-live="polite"
    >
      <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
        <div className={`text-6xl font-bold leading-none ${style.text}`}>
          <span aria-hidden="true">{style.icon}</span> {HEALTH_LABEL[health.health]}
        </div>
        <p className="min-w-0 flex-1 text-2xl font-semibold leading-tight" data-testid="health-headline">
          {detail}
        </p>
      </div>
      <div className="grid grid-cols-[repeat(auto-fill,minmax(11rem,1fr))] gap-x-6 gap-y-3 text-text">
        <div data-testid="cluster-state" data-state={snapshot.status} data-freshness={freshness} className="min-w-0">
          <div className="truncate text-xs text-muted">
            <Term word="cluster_state">Redis says</Term>
          </div>
          <div
            className={`text-2xl font-semibold ${snapshot.status === 'fail' ? 'text-crit' : snapshot.status === 'ok' ? '' : 'text-unknown'}`}
          >
            {snapshot.status}
            {freshness === 'stale' && <span className="ml-2 text-base text-unknown">(stale)</span>}
          </div>
        </div>
        <div data-testid="critical-count" data-count={health.critical} className="min-w-0">
          <div className="truncate text-xs text-muted">critical / warning</div>
          <div className="tabular text-2xl font-semibold">
            <span className={health.critical > 0 ? 'text-crit' : ''}>{health.critical}</span>
            <span className="text-muted"> / </span>
            <span className={health.warning > 0 ? 'text-warn' : ''}>{health.warning}</span>
          </div>
        </div>
        <Stat
          label="nodes answering"
          value={`${nodes.answering} / ${nodes.polled}`}
          testId="nodes-reachable"
          tone={down > 0 ? 'crit' : undefined}
        />
        {nodes.notPolled > 0 && (
          <Stat
            label="not polled (outside nodeNetworks)"
            value={formatCount(nodes.notPolled)}
            testId="nodes-not-polled"
            tone="warn"
          />
        )}
        <Stat
          label="slots assigned"
          value={assigned === undefined ? '–' : formatCount(assigned)}
          testId="slots-assigned"
          tone={assigned !== undefined && assigned < 16384 ? 'crit' : undefined}
        />
        <Stat term="slotsPfail" value={formatCount(pfail)} testId="slots-pfail" tone={pfail > 0 ? 'warn' : undefined} />
        <Stat term="slotsFail" value={formatCount(failed)} testId="slots-fail" tone={failed > 0 ? 'crit' : undefined} />
        <Stat
          term="mastersWithSlots"
          value={formatCount(
            field(snapshot, 'cluster_size') ??
              snapshot.nodes.filter((n) => n.role === 'master' && n.slotCount > 0).length,
          )}
          testId="cluster-size"
        />
        <Stat
          label="known nodes"
          value={formatCount(field(snapshot, 'cluster_known_nodes') ?? snapshot.summary.nodes)}
          testId="known-nodes"
        />
        <Stat
          term="currentEpoch"
          value={formatCount(field(snapshot, 'cluster_current_epoch') ?? Number.NaN)}
          testId="current-epoch"
        />
      </div>
    </section>
  );
}
