'use client';

import { useQuery } from '@tanstack/react-query';
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { jobsQuery, SNAPSHOT_REFETCH_MS, timelineQuery } from '@/lib/client/queries';
import { useSessionEnded } from '@/lib/client/session';
import { LIVE_STREAMS_PER_BROWSER } from '@/lib/client/streamSlot';
import { useLiveSnapshot } from '@/lib/client/useLiveSnapshot';
import { freshness } from '@/lib/cluster/freshness';
import type { SnapshotNode } from '@/lib/cluster/types';
import { evaluateFindings } from '@/lib/findings';
import { duringLifecycle } from '@/lib/findings/duringLifecycle';
import { duringMove } from '@/lib/findings/duringMove';
import { persistenceHighlights } from '@/lib/findings/persistence';
import { formatClock } from '@/lib/format';
import { clusterHealth } from '@/lib/health/clusterHealth';
import { MOVE_WORD } from '@/lib/reshard/job';
import { SessionEnded } from '../auth/SessionEnded';
import { FailoverPanel } from '../failover/FailoverPanel';
import { FindingsList } from '../findings/FindingsList';
import { FixDialog } from '../fix/FixDialog';
import { LifecycleDialogs, type LifecycleTarget } from '../lifecycle/LifecycleDialogs';
import { LifecycleJobs } from '../lifecycle/LifecycleJobs';
import { NodeActions } from '../lifecycle/NodeActions';
import { AddNodeEntry } from '../operations/AddNodeEntry';
import { PersistenceSection } from '../persistence/PersistenceSection';
import { RebalanceDialog, type RebalanceStart } from '../rebalance/RebalanceDialog';
import { ReshardDialog, type ReshardStart } from '../reshard/ReshardDialog';
import { ReshardProgress } from '../reshard/ReshardProgress';
import { useCurrentReshard } from '../reshard/useCurrentReshard';
import { RollingRestartSection } from '../rollingRestart/RollingRestartSection';
import { HostsView } from '../shards/HostsView';
import { ShardsView } from '../shards/ShardsView';
import { SlotSection } from '../slots/SlotSection';
import { TimelineList } from '../timeline/TimelineList';
import { FreshnessBadge } from './FreshnessBadge';
import { NodeTable } from './NodeTable';
import { StateBanner } from './StateBanner';
import { useHealthTitle } from './useHealthTitle';
import { useNow } from './useNow';

function Section({
  title,
  id,
  action,
  children,
}: {
  title: string;
  id: string;
  action?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <section className="space-y-2" aria-labelledby={id}>
      <div className="flex flex-wrap items-baseline gap-3">
        <h2 id={id} className="text-lg font-semibold">
          {title}
        </h2>
        {action}
      </div>
      {children}
    </section>
  );
}

export function ClusterOverview({
  clusterId,
  clusterName,
  canOpenNodes,
  canOperate = false,
  isAdmin = false,
  userName,
}: {
  clusterId: string;
  clusterName: string;
  canOpenNodes: boolean;
  canOperate?: boolean;
  isAdmin?: boolean;
  /** The signed-in user: a failover they started reopens in the wizard after a reload; others see the panel. */
  userName?: string;
}) {
  const [failoverTarget, setFailoverTarget] = useState<{ replicaId?: string; masterId?: string }>();
  const { query, live, capped, refusal } = useLiveSnapshot(clusterId);
  const sessionEnded = useSessionEnded();
  const timeline = useQuery(timelineQuery(clusterId, live));
  const now = useNow();
  const [reshardStart, setReshardStart] = useState<ReshardStart>();
  const [reshardJobId, setReshardJobId] = useState<string>();
  const [rebalanceStart, setRebalanceStart] = useState<RebalanceStart>();
  const [fixOpen, setFixOpen] = useState(false);
  const [lifecycle, setLifecycle] = useState<LifecycleTarget>();
  const reshard = useCurrentReshard(clusterId, canOpenNodes, now, reshardJobId);
  // One function for every poll: the node table's rows are memoised on it.
  const rowActions = useCallback(
    (node: SnapshotNode) => (
      <NodeActions
        node={node}
        onRemove={isAdmin ? (nodeId) => setLifecycle({ kind: 'remove', nodeId }) : undefined}
        onMoveReplica={(nodeId) => setLifecycle({ kind: 'move-replica', nodeId })}
      />
    ),
    [isAdmin],
  );
  // A new poll of a big cluster redraws much of the page: at low priority, so a click or a key press in the middle of
  // it is answered first (React interrupts the deferred render and resumes it after).
  const snapshot = useDeferredValue(query.data);
  // The same pure rules the server's /findings runs, on the snapshot already in the cache: no extra request.
  // Open slots of this dashboard's own running move are said as such, not as a warning inviting a fix mid-move.
  // Likewise a replica syncing for a running add-node / move-replica / remove-node job is that job's doing.
  const jobs = useQuery({ ...jobsQuery(clusterId), enabled: canOpenNodes });
  const findings = useMemo(
    () => (snapshot ? duringLifecycle(duringMove(evaluateFindings(snapshot), reshard.job), jobs.data ?? []) : []),
    [snapshot, reshard.job, jobs.data],
  );
  const fresh = snapshot
    ? freshness({
        ageAtReceiptMs: snapshot.ageMs,
        receivedAt: query.dataUpdatedAt,
        now,
        pollIntervalMs: snapshot.pollIntervalMs,
      })
    : undefined;
  const stale = fresh?.state === 'stale';
  const staleSince = fresh ? formatClock(fresh.since) : undefined;
  const health = useMemo(
    () => clusterHealth(snapshot ? findings : undefined, { stale, staleSince }),
    [snapshot, findings, stale, staleSince],
  );
  useHealthTitle(snapshot && !sessionEnded ? health.health : undefined, clusterName);
  const title = (
    <h1 className="text-2xl font-semibold">
      {clusterName} <span className="text-base font-normal text-muted">{clusterId}</span>
    </h1>
  );
  if (sessionEnded) {
    return (
      <div className="space-y-4">
        {title}
        <SessionEnded kiosk={false} />
      </div>
    );
  }
  if (!snapshot || !fresh) {
    return (
      <div className="space-y-4">
        {title}
        <p className="text-muted" role="status" data-testid="snapshot-loading">
          {query.error ? `No snapshot yet: ${query.error.message}` : 'Waiting for the first poll…'}
        </p>
      </div>
    );
  }
  const highlighted = new Set(findings.filter((f) => f.severity !== 'info').flatMap((f) => f.nodeIds));
  // One slot move at a time per cluster (the server refuses a second one with 409 anyway).
  const moving = (MOVE_WORD[reshard.job?.kind ?? ''] ?? 'slot move').toLowerCase();
  const moveBlocked =
    reshard.job?.state === 'running'
      ? `A ${moving} is running: one slot move at a time.`
      : reshard.job?.state === 'interrupted' || (reshard.job?.state === 'failed' && reshard.job.openSlots?.length)
        ? `The last ${moving} left slots open: resume or roll it back first.`
        : undefined;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        {title}
        <div className="flex items-baseline gap-3">
          {canOpenNodes && (
            <a
              href={`/clusters/${encodeURIComponent(clusterId)}/trends`}
              className="text-sm underline"
              data-testid="trends-link"
            >
              Trends, latency, big keys →
            </a>
          )}
          {canOpenNodes && (
            <a
              href={`/clusters/${encodeURIComponent(clusterId)}/config`}
              className="text-sm underline"
              data-testid="config-link"
            >
              Config across nodes →
            </a>
          )}
          <span
            className="text-xs text-muted"
            data-testid="live"
            data-live={String(live)}
            data-capped={String(capped)}
            title={
              live
                ? 'Updates are pushed to this page as each poll ends'
                : refusal
                  ? `The push stream is down: this page polls (live-update limit reached: ${refusal})`
                  : 'The push stream is down: this page polls'
            }
          >
            {stale ? '' : live ? 'live' : 'polling'}
          </span>
          <FreshnessBadge state={fresh.state} ageMs={fresh.ageMs} since={fresh.since} error={query.error?.message} />
        </div>
      </div>
      {capped && (
        <p className="text-sm text-muted" role="status" data-testid="live-capped">
          live updates: polling every {SNAPSHOT_REFETCH_MS / 1000} s — {LIVE_STREAMS_PER_BROWSER} live tabs already open
          in this browser
        </p>
      )}
      <StateBanner snapshot={snapshot} freshness={fresh.state} health={health} />
      {snapshot.unidentified.length > 0 && (
        <ul className="rounded border border-warn/50 bg-warn/10 px-4 py-2 text-sm" data-testid="unidentified">
          {snapshot.unidentified.map((u) => (
            <li key={u.addr}>
              <span className="font-medium">{u.addr}</span>: {u.error ?? 'not identified'}
            </li>
          ))}
        </ul>
      )}
      <Section title="Findings" id="findings-heading">
        <FindingsList findings={findings} onFix={canOperate && !moveBlocked ? () => setFixOpen(true) : undefined} />
      </Section>
      {reshard.job && (
        <ReshardProgress
          job={reshard.job}
          nodes={snapshot.nodes}
          now={now}
          canOperate={canOperate}
          onFollow={setReshardJobId}
        />
      )}
      <LifecycleJobs clusterId={clusterId} canView={canOpenNodes} now={now} />
      {fixOpen && (
        <FixDialog
          clusterId={clusterId}
          clusterName={clusterName}
          nodes={snapshot.nodes}
          isAdmin={isAdmin}
          onClose={() => setFixOpen(false)}
          onStarted={setReshardJobId}
        />
      )}
      {rebalanceStart && (
        <RebalanceDialog
          clusterId={clusterId}
          clusterName={clusterName}
          nodes={snapshot.nodes}
          start={rebalanceStart}
          onClose={() => setRebalanceStart(undefined)}
          onStarted={setReshardJobId}
        />
      )}
      {lifecycle && (
        <LifecycleDialogs
          key={`${lifecycle.kind}:${lifecycle.nodeId}`}
          clusterId={clusterId}
          nodes={snapshot.nodes}
          target={lifecycle}
          onClose={() => setLifecycle(undefined)}
          onDrain={
            canOperate && !moveBlocked
              ? (nodeId) => {
                  setLifecycle(undefined);
                  setRebalanceStart({ kind: 'drain', nodeId });
                }
              : undefined
          }
        />
      )}
      {reshardStart && (
        <ReshardDialog
          clusterId={clusterId}
          clusterName={clusterName}
          nodes={snapshot.nodes}
          start={reshardStart}
          onClose={() => setReshardStart(undefined)}
          onStarted={setReshardJobId}
        />
      )}
      <SlotSection
        clusterId={clusterId}
        snapshot={snapshot}
        canQueryNodes={canOpenNodes}
        onMoveSlots={canOperate ? (ranges) => setReshardStart({ ranges }) : undefined}
        moveBlocked={moveBlocked}
        marks={reshard.marks}
        clearSelectionOn={reshardJobId}
      />
      <FailoverPanel
        clusterId={clusterId}
        nodes={snapshot.nodes}
        now={now}
        canView={canOpenNodes}
        canOperate={canOperate}
        isAdmin={isAdmin}
        request={failoverTarget}
        onRequestDone={() => setFailoverTarget(undefined)}
        failovers={timeline.data?.filter((e) => e.kind === 'failover')}
        userName={userName}
      />
      <RollingRestartSection
        clusterId={clusterId}
        clusterName={clusterName}
        canView={canOpenNodes}
        canOperate={canOperate}
        now={now}
      />
      <Section
        title="Shards"
        id="shards-heading"
        action={
          canOperate && (
            <button
              type="button"
              className="rounded border border-border px-3 py-1 text-sm hover:border-warn disabled:opacity-60"
              onClick={() => setRebalanceStart({ kind: 'rebalance' })}
              disabled={moveBlocked !== undefined}
              title={
                moveBlocked ??
                'Balance the masters by slots (as redis-cli), keys or memory, with weights: the plan first, nothing moves until you confirm'
              }
              data-testid="rebalance-open"
            >
              Rebalance…
            </button>
          )
        }
      >
        <ShardsView
          nodes={snapshot.nodes}
          now={now}
          onFailover={canOperate ? setFailoverTarget : undefined}
          onMoveSlots={canOperate && !moveBlocked ? (sourceId) => setReshardStart({ sourceId }) : undefined}
          onDrain={canOperate && !moveBlocked ? (nodeId) => setRebalanceStart({ kind: 'drain', nodeId }) : undefined}
          onRemove={isAdmin ? (nodeId) => setLifecycle({ kind: 'remove', nodeId }) : undefined}
          onMoveReplica={canOperate ? (nodeId) => setLifecycle({ kind: 'move-replica', nodeId }) : undefined}
        />
      </Section>
      <Section title="Hosts" id="hosts-heading">
        <HostsView nodes={snapshot.nodes} />
      </Section>
      <PersistenceSection
        clusterId={clusterId}
        nodes={snapshot.nodes}
        collectedAt={snapshot.collectedAt}
        now={now}
        highlighted={persistenceHighlights(findings)}
        canOperate={canOperate}
      />
      <Section
        title="Nodes"
        id="nodes-heading"
        action={
          canOperate && (
            <AddNodeEntry
              clusterId={clusterId}
              nodes={snapshot.nodes}
              blocked={moveBlocked}
              onRebalance={() => setRebalanceStart({ kind: 'rebalance', useEmptyMasters: true })}
            />
          )
        }
      >
        <NodeTable
          nodes={snapshot.nodes}
          highlighted={highlighted}
          nodeHref={canOpenNodes ? (id) => `/clusters/${encodeURIComponent(clusterId)}/nodes/${id}` : undefined}
          rowActions={canOperate ? rowActions : undefined}
        />
        <p className="text-xs text-muted">
          Polled every {snapshot.pollIntervalMs} ms; last poll took {snapshot.pollDurationMs} ms. Flags and link state
          are the view of node{' '}
          <span title={snapshot.referenceNodeId ?? undefined}>{snapshot.referenceNodeId?.slice(0, 8) ?? '–'}</span>.
          Role and slots are each node's own.
        </p>
      </Section>
      <Section title="Timeline" id="timeline-heading">
        <TimelineList events={timeline.data ?? []} />
      </Section>
    </div>
  );
}
