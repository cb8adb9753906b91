import type { SnapshotResponse } from '@/lib/api/types';
import type { Freshness } from '@/lib/cluster/freshness';
import { formatCount } from '@/lib/format';

const STATUS_STYLE = {
  ok: 'border-ok text-ok',
  fail: 'border-crit text-crit',
  unknown: 'border-unknown text-unknown',
} as const;

function Stat({
  label,
  value,
  testId,
  tone,
}: {
  label: string;
  value: string;
  testId: string;
  tone?: 'warn' | 'crit';
}) {
  const colour = tone === 'crit' ? 'text-crit' : tone === 'warn' ? 'text-warn' : '';
  return (
    <div className="min-w-28">
      <div className="text-xs uppercase tracking-wider text-muted">{label}</div>
      <div className={`tabular text-3xl font-semibold ${colour}`} data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

const field = (snapshot: SnapshotResponse, name: string) => {
  const value = snapshot.state[name];
  return typeof value === 'number' ? value : undefined;
};

export function StateBanner({
  snapshot,
  freshness,
  critical,
}: {
  snapshot: SnapshotResponse;
  freshness: Freshness;
  critical: number;
}) {
  // Old data never shows as green: a stale snapshot is drawn in the unknown colour, whatever it said.
  const shown = freshness === 'stale' ? 'unknown' : snapshot.status;
  const pfail = field(snapshot, 'cluster_slots_pfail') ?? 0;
  const failed = field(snapshot, 'cluster_slots_fail') ?? 0;
  const assigned = field(snapshot, 'cluster_slots_assigned');
  const down = snapshot.summary.nodes - snapshot.summary.reachable;
  return (
    <section
      className={`flex flex-wrap items-center gap-x-10 gap-y-4 rounded-lg border-2 bg-panel px-6 py-4 ${STATUS_STYLE[shown]}`}
    >
      <div data-testid="cluster-state" data-state={snapshot.status} data-freshness={freshness}>
        <div className="text-xs uppercase tracking-wider text-muted">cluster_state</div>
        <div className="text-6xl font-bold leading-none">
          {snapshot.status === 'unknown' ? 'UNKNOWN' : snapshot.status.toUpperCase()}
          {freshness === 'stale' && <span className="ml-3 align-middle text-2xl">(stale)</span>}
        </div>
      </div>
      <div data-testid="critical-count" data-count={critical}>
        <div className="text-xs uppercase tracking-wider text-muted">critical findings</div>
        <div className={`tabular text-6xl font-bold leading-none ${critical > 0 ? 'text-crit' : 'text-text'}`}>
          {critical}
        </div>
      </div>
      <div className="flex flex-wrap gap-x-8 gap-y-3 text-text">
        <Stat
          label="slots assigned"
          value={assigned === undefined ? '–' : formatCount(assigned)}
          testId="slots-assigned"
          tone={assigned !== undefined && assigned < 16384 ? 'crit' : undefined}
        />
        <Stat
          label="slots ok"
          value={formatCount(field(snapshot, 'cluster_slots_ok') ?? Number.NaN)}
          testId="slots-ok"
        />
        <Stat
          label="slots pfail"
          value={formatCount(pfail)}
          testId="slots-pfail"
          tone={pfail > 0 ? 'warn' : undefined}
        />
        <Stat
          label="slots fail"
          value={formatCount(failed)}
          testId="slots-fail"
          tone={failed > 0 ? 'crit' : undefined}
        />
        <Stat
          label="known nodes"
          value={formatCount(field(snapshot, 'cluster_known_nodes') ?? snapshot.summary.nodes)}
          testId="known-nodes"
        />
        <Stat
          label="masters with slots"
          value={formatCount(field(snapshot, 'cluster_size') ?? Number.NaN)}
          testId="cluster-size"
        />
        <Stat
          label="current epoch"
          value={formatCount(field(snapshot, 'cluster_current_epoch') ?? Number.NaN)}
          testId="current-epoch"
        />
        <Stat
          label="nodes reachable"
          value={`${snapshot.summary.reachable} / ${snapshot.summary.nodes}`}
          testId="nodes-reachable"
          tone={down > 0 ? 'crit' : undefined}
        />
      </div>
    </section>
  );
}
