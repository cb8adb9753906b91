'use client';

import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { jobsQuery } from '@/lib/client/queries';
import type { SnapshotNode } from '@/lib/cluster/types';
import { failbackFor, recentFailover } from '@/lib/failover/failback';
import { type FailoverTarget, FailoverWizard, type WizardStart } from './FailoverWizard';
import { JobProgress } from './JobProgress';

const DISMISSED_KEY = 'redis-cluster-dashboard.dismissed-failovers';
const DISMISSED_KEEP = 50;

function readDismissed(): string[] {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(DISMISSED_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** Failover jobs this browser closed the wizard on: not opened again on the next load. Undefined until read. */
function useDismissedJobs(): [Set<string> | undefined, (ids: Array<string | undefined>) => void] {
  const [dismissed, setDismissed] = useState<Set<string>>();
  useEffect(() => setDismissed(new Set(readDismissed())), []);
  const dismiss = useCallback((ids: Array<string | undefined>) => {
    const next = [...new Set([...readDismissed(), ...ids.filter((id): id is string => id !== undefined)])];
    try {
      window.localStorage.setItem(DISMISSED_KEY, JSON.stringify(next.slice(-DISMISSED_KEEP)));
    } catch {
      // storage full or disabled: the wizard may open again on the next load, nothing worse
    }
    setDismissed(new Set(next));
  }, []);
  return [dismissed, dismiss];
}

/**
 * The cluster's failover, wherever the page was opened from: the wizard for the node an operator picked; else the
 * latest failover job (running, or ended in the last 10 minutes) reopened in the wizard for operators until they close
 * it, so a reload mid-failover or after it shows the same job, its result and "Fail back"; otherwise its steps in place.
 */
export function FailoverPanel({
  clusterId,
  nodes,
  now,
  canView,
  canOperate,
  isAdmin,
  request,
  onRequestDone,
  failovers = [],
  userName,
}: {
  clusterId: string;
  nodes: SnapshotNode[];
  now: number;
  /** Jobs are listed to viewers and up (not to a kiosk). */
  canView: boolean;
  canOperate: boolean;
  isAdmin: boolean;
  /** A node picked on the shards view (a replica, or a master's best replica). */
  request: FailoverTarget | undefined;
  onRequestDone: () => void;
  /** The timeline's failover events (newest first is fine): a later, automatic failover retires the last job's panel. */
  failovers?: Array<{ at: string; nodeIds: string[] }>;
  /** Only the operator who started the job gets its wizard back on load; everyone else sees the panel. */
  userName?: string;
}) {
  const jobs = useQuery({ ...jobsQuery(clusterId), enabled: canView });
  const recent = recentFailover(jobs.data, now);
  const [dismissed, dismiss] = useDismissedJobs();
  const [manual, setManual] = useState<WizardStart>();
  // Another node promoted since this job started (the cluster failed over on its own): the job's panel is history.
  const promoted = recent?.result?.replicaId ?? recent?.params?.replicaId;
  const superseded =
    recent !== undefined &&
    recent.state !== 'running' &&
    failovers.some((e) => Date.parse(e.at) > Date.parse(recent.startedAt) && e.nodeIds[0] !== promoted);
  const reopen =
    canOperate && recent && recent.startedBy === userName && !superseded && dismissed && !dismissed.has(recent.id);
  const start: WizardStart | undefined = request
    ? { target: request }
    : (manual ?? (reopen ? { jobId: recent.id } : undefined));
  const failback = canOperate && recent ? failbackFor(recent, nodes) : undefined;

  function closed(jobId?: string) {
    dismiss([jobId, ...(request || manual ? [] : [recent?.id])]);
    setManual(undefined);
    if (request) onRequestDone();
  }

  return (
    <>
      {start && (
        <FailoverWizard
          // A new opening is a new wizard; an opening that moves on to its own next job keeps its dialog.
          key={request ? 'request' : manual ? 'manual' : 'latest'}
          clusterId={clusterId}
          start={start}
          nodes={nodes}
          isAdmin={isAdmin}
          onClose={closed}
        />
      )}
      {recent && !start && !superseded && (
        <section
          className="rounded-lg border-2 border-warn/60 bg-panel p-4"
          aria-label="Failover"
          data-testid="recent-failover"
        >
          <h2 className="mb-2 text-lg font-semibold">
            {recent.state === 'running' ? 'Failover in progress' : 'Last failover'}
          </h2>
          <JobProgress job={recent} />
          {failback?.offer && (
            <button
              type="button"
              className="mt-2 rounded border border-warn/60 px-3 py-1.5 text-sm font-semibold"
              onClick={() => setManual({ target: { replicaId: failback.oldMasterId }, failbackOf: recent.id })}
              data-testid="failback"
            >
              Fail back to {nodes.find((n) => n.id === failback.oldMasterId)?.addr ?? failback.oldMasterId.slice(0, 8)}{' '}
              (undo this failover: make it master again)…
            </button>
          )}
          {failback && !failback.offer && (
            <p className="mt-2 text-sm text-muted" data-testid="failback-unavailable">
              No failback offered: {failback.reason}
            </p>
          )}
        </section>
      )}
    </>
  );
}
