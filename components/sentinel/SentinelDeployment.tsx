'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo } from 'react';
import { clusterSlowlogQuery } from '@/lib/client/queries';
import { sentinelSnapshotQuery } from '@/lib/client/sentinel';
import { useSessionEnded } from '@/lib/client/session';
import { freshness } from '@/lib/cluster/freshness';
import { formatClock } from '@/lib/format';
import {
  agreedMaster,
  haproxyReading,
  hostGroups,
  sentinelRows,
  sentinelsOnOneHost,
} from '@/lib/sentinel/deploymentView';
import { orderedSentinelFindings } from '@/lib/sentinel/findingsOrder';
import { sentinelHealth } from '@/lib/sentinel/health';
import { SessionEnded } from '../auth/SessionEnded';
import { FreshnessBadge } from '../cluster/FreshnessBadge';
import { useHealthTitle } from '../cluster/useHealthTitle';
import { useNow } from '../cluster/useNow';
import { FindingsList } from '../findings/FindingsList';
import { SlowlogTable } from '../node/SlowlogTable';
import { DataNodesSection } from './DataNodesSection';
import { DeploymentBanner } from './DeploymentBanner';
import { DeploymentHosts } from './DeploymentHosts';
import { HaproxyTable } from './HaproxyTable';
import { DeploymentNotes, MasterChangesList } from './MasterChanges';
import { SentinelFailoverPanel } from './SentinelFailoverPanel';
import { SentinelsTable } from './SentinelsTable';

function Section({ title, id, children }: { title: string; id: string; children: React.ReactNode }) {
  return (
    <section className="space-y-2" aria-labelledby={id}>
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * The page of a Sentinel deployment: the health and what is wrong first, then the master and its replicas (with the
 * failover beside them), the sentinels and whether they agree, what HAProxy routes to, and who runs on which host.
 */
export function SentinelDeployment({ deploymentId, deploymentName }: { deploymentId: string; deploymentName: string }) {
  const query = useQuery(sentinelSnapshotQuery(deploymentId));
  const snapshot = query.data;
  // Read from the data nodes on demand (the server's period), as the cluster's merged slow log.
  const slowlog = useQuery(clusterSlowlogQuery(deploymentId));
  const sessionEnded = useSessionEnded();
  const now = useNow();
  // The same pure rules the server's /findings and the wall run, on the snapshot already in the cache.
  const findings = useMemo(() => (snapshot ? orderedSentinelFindings(snapshot) : undefined), [snapshot]);
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
  const health = useMemo(() => sentinelHealth(findings, { stale, staleSince }), [findings, stale, staleSince]);
  const haproxy = useMemo(() => (snapshot ? haproxyReading(snapshot) : undefined), [snapshot]);
  useHealthTitle(snapshot && !sessionEnded ? health.health : undefined, deploymentName);
  const title = (
    <h1 className="text-2xl font-semibold">
      {deploymentName} <span className="text-base font-normal text-muted">{deploymentId}</span>{' '}
      <span
        className="rounded border border-border px-2 align-middle text-sm font-normal text-muted"
        data-testid="deployment-kind"
      >
        Sentinel deployment
      </span>
    </h1>
  );
  if (sessionEnded)
    return (
      <div className="space-y-4">
        {title}
        <SessionEnded kiosk={false} />
      </div>
    );
  if (!snapshot || !fresh)
    return (
      <div className="space-y-4">
        {title}
        <p className="text-muted" role="status" data-testid="snapshot-loading">
          {query.error ? `No snapshot yet: ${query.error.message}` : 'Waiting for the first poll…'}
        </p>
      </div>
    );
  const highlighted = new Set((findings ?? []).filter((f) => f.severity !== 'info').flatMap((f) => f.nodeIds));
  const masterAddr = agreedMaster(snapshot);
  return (
    <div className="space-y-6" data-testid="sentinel-deployment" data-master={masterAddr ?? ''}>
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        {title}
        <div className="flex items-baseline gap-3">
          <Link
            href={`/clusters/${encodeURIComponent(deploymentId)}/trends`}
            className="text-sm text-muted underline"
            data-testid="trends-link"
          >
            Trends
          </Link>
          <span className="text-sm text-muted">
            monitors <span className="font-semibold text-text">{snapshot.masterName}</span>
          </span>
          <FreshnessBadge state={fresh.state} ageMs={fresh.ageMs} since={fresh.since} error={query.error?.message} />
        </div>
      </div>
      <DeploymentBanner snapshot={snapshot} freshness={fresh.state} health={health} haproxy={haproxy} />
      <DeploymentNotes snapshot={snapshot} now={now} />
      <Section title="Findings" id="findings-heading">
        <FindingsList findings={findings ?? []} />
      </Section>
      <Section title="Master and replicas" id="replication-heading">
        <DataNodesSection snapshot={snapshot} stale={stale} highlighted={highlighted} findings={findings ?? []} />
      </Section>
      <SentinelFailoverPanel deploymentId={deploymentId} snapshot={snapshot} freshness={fresh} />
      <Section title="Master changes" id="master-changes-heading">
        <MasterChangesList changes={snapshot.masterChanges} />
      </Section>
      <Section title={`Sentinels (${snapshot.sentinels.length})`} id="sentinels-heading">
        <SentinelsTable
          snapshot={snapshot}
          rows={sentinelRows(snapshot)}
          ageMs={fresh.ageMs}
          stale={stale}
          highlighted={highlighted}
        />
      </Section>
      <Section title="HAProxy" id="haproxy-heading">
        <HaproxyTable haproxy={snapshot.haproxy} reading={haproxy} masterAddr={masterAddr} stale={stale} />
      </Section>
      <Section title="Hosts" id="hosts-heading">
        <DeploymentHosts groups={hostGroups(snapshot)} sentinelsHost={sentinelsOnOneHost(snapshot)} stale={stale} />
      </Section>
      <Section title="Slow log, every data node" id="slowlog-heading">
        {slowlog.error && <p className="text-crit">{slowlog.error.message}</p>}
        {slowlog.data && <SlowlogTable entries={slowlog.data.entries} skipped={slowlog.data.skipped} />}
      </Section>
      <p className="text-xs text-muted">
        Polled every {snapshot.pollIntervalMs} ms; the last poll took {snapshot.durationMs} ms. The master is the one
        the sentinels name; each node&apos;s role is its own INFO. &quot;Unreachable from here&quot; means this
        dashboard could not reach it, not that it is down.
      </p>
    </div>
  );
}
