'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { actOnJob } from '@/lib/client/reshard';
import { sentinelSnapshotQuery } from '@/lib/client/sentinel';
import {
  deploymentJobsQuery,
  latestSentinelFailover,
  sentinelFailoverJobQuery,
  sentinelFailoverPlanQuery,
  sessionQuery,
  startSentinelFailover,
} from '@/lib/client/sentinelFailover';
import { blockingCheck } from '@/lib/failover/prechecks';
import { formatClock } from '@/lib/format';
import type { SentinelFailoverJob } from '@/lib/sentinel/failoverJob';
import { type PanelFreshness, staleFailoverReason } from '@/lib/sentinel/failoverStale';
import { failoverResultSince } from '@/lib/sentinel/masterChanges';
import type { SentinelSnapshot } from '@/lib/sentinel/types';
import { PlanChecks } from '../failover/PlanChecks';
import { JobSteps } from '../operations/JobSteps';
import { PromotionPick } from './PromotionPick';

const RECENT_MS = 10 * 60_000;

/** Cancelling is safe until SENTINEL FAILOVER is sent: up to then nothing has changed but a pause that is lifted. */
const cancellable = (job: SentinelFailoverJob) =>
  job.state === 'running' && job.steps.find((s) => s.name === 'SENTINEL FAILOVER accepted')?.state === 'pending';

function JobView({ job, canOperate }: { job: SentinelFailoverJob; canOperate: boolean }) {
  const r = job.result;
  // The page's own snapshot (shared from the query cache): a result the present contradicts is never shown green.
  const present = useQuery(sentinelSnapshotQuery(job.clusterId)).data;
  const since =
    r?.newMaster && job.endedAt && present
      ? failoverResultSince({ newMaster: r.newMaster, endedAt: job.endedAt }, present, (iso) =>
          formatClock(new Date(iso)),
        )
      : undefined;
  return (
    <JobSteps job={job} name="sentinel-failover">
      {canOperate && cancellable(job) && (
        <button
          type="button"
          className="rounded border border-border px-3 py-1 text-sm"
          onClick={() => void actOnJob(job.id, 'cancel')}
          data-testid="sentinel-failover-cancel"
        >
          Cancel (SENTINEL FAILOVER not sent yet: nothing has changed; writes are unpaused)
        </button>
      )}
      {r?.newMaster && (
        <p className="text-sm" data-testid="sentinel-failover-result" data-superseded={String(since !== undefined)}>
          <span className={`font-semibold ${since ? 'text-muted' : 'text-ok'}`}>New master {r.newMaster}</span>
          {r.oldMaster ? ` (was ${r.oldMaster}, now its replica)` : ''}; {r.sentinelsAgreeing} sentinel
          {r.sentinelsAgreeing === 1 ? '' : 's'} name it
          {r.haproxyRouted ? `; HAProxy routes to ${r.haproxyRouted.join(', ')}` : ''}
          {r.haproxyUnverified ? "; HAProxy's routing unverified (below)" : ''}
          {r.paused ? `; writes paused ${r.paused.toMs - r.paused.fromMs} ms` : ''}
          {r.zeroLoss ? `; zero loss ${r.zeroLoss}` : ''}.
          {since && (
            <span className="block font-semibold text-warn" data-testid="sentinel-failover-since">
              <span aria-hidden="true">! </span>
              {since.charAt(0).toUpperCase() + since.slice(1)}: this result is not the present.
            </span>
          )}
        </p>
      )}
      {r?.notes.length ? (
        <ul className="list-disc pl-5 text-sm text-warn" data-testid="sentinel-failover-notes">
          {r.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </JobSteps>
  );
}

/**
 * The guided Sentinel failover: pre-checks in words, the replica the sentinels would promote and why, its lag, what
 * the path promises (or the plain warning), the deployment's name typed to confirm, then the job's live steps and its
 * result. Viewers see the plan and the job, and why they cannot start one.
 */
export function SentinelFailoverPanel({
  deploymentId,
  freshness,
}: {
  deploymentId: string;
  snapshot: SentinelSnapshot;
  /** Additive: the page's snapshot freshness; stale greys the pre-checks and holds Start (they say nothing of now). */
  freshness?: PanelFreshness;
}) {
  const session = useQuery(sessionQuery());
  const role = session.data?.role;
  const canOperate = (role === 'operator' || role === 'admin') && session.data?.readOnly !== true;
  const canView = role !== undefined && role !== 'kiosk';
  const [open, setOpen] = useState(false);
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const [jobId, setJobId] = useState<string>();
  const plan = useQuery({ ...sentinelFailoverPlanQuery(deploymentId), enabled: canView });
  const jobs = useQuery({ ...deploymentJobsQuery(deploymentId), enabled: canView });
  const latest = latestSentinelFailover(jobs.data);
  // The latest job stays in view while it runs and for 10 minutes after (a reload shows the same job and its result).
  const recent = latest && (latest.state === 'running' || Date.now() - Date.parse(latest.endedAt ?? '') < RECENT_MS);
  const shownId = jobId ?? (recent ? latest.id : undefined);
  const job = useQuery({ ...sentinelFailoverJobQuery(shownId ?? ''), enabled: shownId !== undefined });
  // What the operator agreed to when typing the name: if the plan's verdict changes under it (the master stops
  // answering, zero loss no longer guaranteed, a check now fails), the typed name is cleared and they read it again.
  const verdictOf = plan.data;
  const verdict = verdictOf
    ? `${verdictOf.allowed}|${verdictOf.zeroLoss.guaranteed}|${verdictOf.replica?.addr ?? ''}|${verdictOf.masterAddr ?? ''}`
    : undefined;
  const agreedTo = useRef<string | undefined>(undefined);
  const [changed, setChanged] = useState(false);
  useEffect(() => {
    if (confirm === '') agreedTo.current = verdict;
    else if (agreedTo.current !== undefined && verdict !== undefined && agreedTo.current !== verdict) {
      setConfirm('');
      setChanged(true);
      agreedTo.current = verdict;
    }
  }, [verdict, confirm]);
  if (!canView) return null;
  const p = plan.data;
  const block = p ? blockingCheck(p.checks) : undefined;
  const stale = staleFailoverReason(freshness);

  async function start() {
    setError(undefined);
    try {
      setJobId(await startSentinelFailover(deploymentId, confirm));
      setConfirm('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <section className="space-y-3 rounded-lg border border-border bg-panel p-4" aria-label="Guided failover">
      <h2 className="text-lg font-semibold">Guided failover</h2>
      {job.data && <JobView job={job.data} canOperate={canOperate} />}
      {!p && <p className="text-sm text-muted">{plan.error ? plan.error.message : 'Reading the pre-checks…'}</p>}
      {p && stale && (
        <p className="text-sm font-semibold text-muted" role="status" data-testid="sentinel-failover-stale">
          Pre-checks on old data: {stale}.
        </p>
      )}
      {p && (
        <div
          className={`space-y-3 ${stale ? 'opacity-60 grayscale' : ''}`}
          data-testid="sentinel-failover-plan"
          data-stale={stale ? 'true' : 'false'}
        >
          <PlanChecks checks={p.checks} testId="sentinel-failover" />
          <PromotionPick plan={p} />
          <p
            className={`rounded border p-2 text-sm ${p.zeroLoss.guaranteed ? 'border-ok/60' : 'border-warn/60 text-warn'}`}
            data-testid="sentinel-failover-zero-loss"
            data-guaranteed={p.zeroLoss.guaranteed}
          >
            <span className="font-semibold">{p.zeroLoss.guaranteed ? 'Zero loss: ' : 'Warning: '}</span>
            {p.zeroLoss.statement}
          </p>
        </div>
      )}
      {!canOperate && (
        <p className="text-sm text-muted" data-testid="sentinel-failover-forbidden">
          {session.data?.readOnly
            ? 'The dashboard runs read-only: no failover can be started.'
            : `Starting a failover needs the operator role (you are ${role ?? 'not logged in'}).`}
        </p>
      )}
      {canOperate && p && !open && (
        <button
          type="button"
          className="rounded border border-warn/60 px-3 py-1.5 text-sm font-semibold"
          onClick={() => setOpen(true)}
          data-testid="sentinel-failover-open"
        >
          Fail over {p.masterName}…
        </button>
      )}
      {canOperate && p && open && (
        <div className="space-y-2 border-t border-border pt-3">
          <label className="flex flex-wrap items-center gap-2 text-sm">
            <span>
              Type the deployment’s name to confirm: <code className="select-all font-mono">{p.deploymentName}</code>
            </span>
            <input
              value={confirm}
              onChange={(e) => {
                setConfirm(e.target.value);
                setChanged(false);
              }}
              className="min-w-60 flex-1 rounded border border-border bg-bg px-3 py-1.5 font-mono text-sm"
              aria-label="Confirmation"
              spellCheck={false}
              autoComplete="off"
              data-testid="sentinel-failover-confirm"
            />
          </label>
          {changed && (
            <p className="text-sm font-semibold text-warn" role="alert" data-testid="sentinel-failover-plan-changed">
              The plan changed after you typed the name: read the checks and the zero-loss line again, then type it
              again.
            </p>
          )}
          {error && (
            <p className="text-sm text-crit" role="alert">
              {error}
            </p>
          )}
          <div className="flex gap-2">
            <button
              type="button"
              disabled={!!stale || !p.allowed || confirm !== p.deploymentName || job.data?.state === 'running'}
              onClick={() => void start()}
              className={`rounded border px-4 py-2 font-semibold disabled:cursor-not-allowed ${block ? 'border-crit bg-crit/15 text-crit' : 'border-warn bg-warn text-bg disabled:border-border disabled:bg-transparent disabled:text-muted'}`}
              data-testid="sentinel-failover-start"
              data-blocked={block?.check.name ?? (stale ? 'stale data' : undefined)}
            >
              {block ? `Blocked: ${block.check.name}` : stale ? `Wait: ${stale}` : `Start failover of ${p.masterName}`}
            </button>
            <button
              type="button"
              className="rounded border border-border px-3 py-2 text-sm"
              onClick={() => setOpen(false)}
            >
              Close
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
