import { formatClock } from '@/lib/format';
import { type MasterChange, masterChangeSentence, recentMasterChange } from '@/lib/sentinel/masterChanges';
import type { SentinelSnapshot } from '@/lib/sentinel/types';

const clock = (iso: string) => formatClock(new Date(iso));

/**
 * Above the findings: a guided failover running now (its switch raises split-brain and routing findings that are
 * expected), and the last master change for 10 minutes after it, so a failover never passes without a trace.
 */
export function DeploymentNotes({ snapshot, now }: { snapshot: SentinelSnapshot; now: number }) {
  const guided = snapshot.guidedFailover;
  const change = recentMasterChange(snapshot.masterChanges, now);
  if (!guided && !change) return null;
  return (
    <div className="space-y-1">
      {guided && (
        <p
          className="rounded border border-border bg-panel px-3 py-2 font-semibold"
          data-testid="guided-failover-running"
          data-job-id={guided.jobId}
        >
          <span aria-hidden="true">⟳ </span>A guided failover is running (started {clock(guided.startedAt)}):
          split-brain and routing findings during its switch are expected; writes are paused on the old master.
        </p>
      )}
      {change && (
        <p className="text-lg" data-testid="master-changed" data-from={change.from} data-to={change.to}>
          <span aria-hidden="true">⇄ </span>
          {capitalised(masterChangeSentence(change, clock))}.
        </p>
      )}
    </div>
  );
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Every master change this dashboard saw since it started, newest first (in memory: a restart forgets them). */
export function MasterChangesList({ changes }: { changes: readonly MasterChange[] | undefined }) {
  if (!changes?.length)
    return (
      <p className="text-sm text-muted" data-testid="master-changes-none">
        No master change seen since this dashboard started.
      </p>
    );
  return (
    <ol className="space-y-1 text-sm" data-testid="master-changes">
      {[...changes].reverse().map((c) => (
        <li key={`${c.at} ${c.to}`} data-testid="master-change">
          <span className="tabular text-muted">{clock(c.at)}</span> {c.from} →{' '}
          <span className="font-semibold">{c.to}</span>{' '}
          <span className="text-muted">
            ({c.guidedJobId ? `guided failover ${c.guidedJobId}` : 'the sentinels’ own failover'})
          </span>
        </li>
      ))}
    </ol>
  );
}
