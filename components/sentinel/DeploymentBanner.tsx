import type { Freshness } from '@/lib/cluster/freshness';
import { type ClusterHealth, HEALTH_LABEL } from '@/lib/health/clusterHealth';
import {
  deploymentCounts,
  type HaproxyReading,
  type HaproxyTone,
  haproxyWord,
  sharedSetting,
} from '@/lib/sentinel/deploymentView';
import type { SentinelSnapshot } from '@/lib/sentinel/types';
import { HEALTH_STYLE } from '../cluster/StateBanner';

type Tone = HaproxyTone;

function Stat({
  label,
  value,
  testId,
  tone,
  wide = false,
}: {
  label: string;
  value: string;
  testId: string;
  tone?: Tone;
  /** Two columns: an address or a phrase, not a count. */
  wide?: boolean;
}) {
  const colour = tone === 'crit' ? 'text-crit' : tone === 'warn' ? 'text-warn' : '';
  return (
    <div className={`min-w-0 ${wide ? 'col-span-2' : ''}`}>
      <div className="truncate text-xs text-muted">{label}</div>
      <div className={`tabular truncate text-2xl font-semibold ${colour}`} data-testid={testId} title={value}>
        {value}
      </div>
    </div>
  );
}

/**
 * The headline of the deployment page: one health from the worst finding, in the largest type, naming what is wrong;
 * then the counts an on-call engineer checks first. Old data draws no status colour but the health's grey.
 */
export function DeploymentBanner({
  snapshot,
  freshness,
  health,
  haproxy,
}: {
  snapshot: SentinelSnapshot;
  freshness: Freshness;
  health: ClusterHealth;
  haproxy: HaproxyReading | undefined;
}) {
  const style = HEALTH_STYLE[health.health];
  const stale = freshness === 'stale';
  const tone = (t: Tone): Tone => (stale ? undefined : t);
  const counts = deploymentCounts(snapshot);
  const quorum = sharedSetting(snapshot, (s) => s.quorum);
  const [, detail = ''] = health.headline.split(' — ');
  const proxy = haproxyWord(snapshot, haproxy);
  const { agreed, reachable } = snapshot.agreement;
  return (
    <section
      className={`space-y-4 rounded-lg border-4 bg-panel px-6 py-4 ${style.frame}`}
      data-testid="cluster-health"
      data-kind="sentinel"
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
        <Stat
          label="master (sentinels say)"
          value={snapshot.master?.addr ?? 'none named'}
          testId="deployment-master"
          wide
          tone={tone(snapshot.master ? undefined : 'crit')}
        />
        <div data-testid="critical-count" data-count={health.critical} className="min-w-0">
          <div className="truncate text-xs text-muted">critical / warning</div>
          <div className="tabular text-2xl font-semibold">
            <span className={health.critical > 0 && !stale ? 'text-crit' : ''}>{health.critical}</span>
            <span className="text-muted"> / </span>
            <span className={health.warning > 0 && !stale ? 'text-warn' : ''}>{health.warning}</span>
          </div>
        </div>
        <Stat
          label="data nodes answering"
          value={`${counts.nodesUp} / ${counts.nodesKnown}`}
          testId="deployment-nodes-up"
          tone={tone(counts.nodesUp < counts.nodesKnown ? 'crit' : undefined)}
        />
        <Stat
          label="sentinels answering"
          value={`${counts.sentinelsUp} / ${counts.sentinelsTotal}`}
          testId="deployment-sentinels-up"
          tone={tone(counts.sentinelsUp < counts.sentinelsTotal ? 'warn' : undefined)}
        />
        <Stat
          label="sentinels on the master"
          value={reachable === 0 ? 'none answers' : agreed ? 'agree' : 'DISAGREE'}
          testId="deployment-agreement"
          tone={tone(reachable === 0 || !agreed ? 'crit' : undefined)}
        />
        <Stat
          label="quorum"
          value={quorum.length ? `${quorum.join(' / ')} of ${counts.sentinelsTotal}` : '–'}
          testId="deployment-quorum"
          tone={tone(quorum.length > 1 ? 'warn' : undefined)}
        />
        <Stat label="HAProxy" value={proxy.text} testId="deployment-haproxy" tone={tone(proxy.tone)} wide />
      </div>
    </section>
  );
}
