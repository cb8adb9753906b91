'use client';

import { useQuery } from '@tanstack/react-query';
import { snapshotQuery } from '@/lib/client/queries';
import { freshness } from '@/lib/cluster/freshness';
import { FreshnessBadge } from './FreshnessBadge';
import { NodeTable } from './NodeTable';
import { StateBanner } from './StateBanner';
import { useNow } from './useNow';

export function ClusterOverview({
  clusterId,
  clusterName,
  canOpenNodes,
}: {
  clusterId: string;
  clusterName: string;
  canOpenNodes: boolean;
}) {
  const query = useQuery(snapshotQuery(clusterId));
  const now = useNow();
  const snapshot = query.data;
  const title = (
    <h1 className="text-2xl font-semibold">
      {clusterName} <span className="text-base font-normal text-muted">{clusterId}</span>
    </h1>
  );
  if (!snapshot) {
    return (
      <div className="space-y-4">
        {title}
        <p className="text-muted" role="status" data-testid="snapshot-loading">
          {query.error ? `No snapshot yet: ${query.error.message}` : 'Waiting for the first poll…'}
        </p>
      </div>
    );
  }
  const fresh = freshness({
    ageAtReceiptMs: snapshot.ageMs,
    receivedAt: query.dataUpdatedAt,
    now,
    pollIntervalMs: snapshot.pollIntervalMs,
  });
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        {title}
        <FreshnessBadge state={fresh.state} ageMs={fresh.ageMs} since={fresh.since} error={query.error?.message} />
      </div>
      <StateBanner snapshot={snapshot} freshness={fresh.state} />
      {snapshot.unidentified.length > 0 && (
        <ul className="rounded border border-warn/50 bg-warn/10 px-4 py-2 text-sm" data-testid="unidentified">
          {snapshot.unidentified.map((u) => (
            <li key={u.addr}>
              <span className="font-medium">{u.addr}</span>: {u.error ?? 'not identified'}
            </li>
          ))}
        </ul>
      )}
      <NodeTable
        nodes={snapshot.nodes}
        nodeHref={canOpenNodes ? (id) => `/clusters/${encodeURIComponent(clusterId)}/nodes/${id}` : undefined}
      />
      <p className="text-xs text-muted">
        Polled every {snapshot.pollIntervalMs} ms; last poll took {snapshot.pollDurationMs} ms. Flags and link state are
        the view of node{' '}
        <span title={snapshot.referenceNodeId ?? undefined}>{snapshot.referenceNodeId?.slice(0, 8) ?? '–'}</span>; role
        and slots are each node's own.
      </p>
    </div>
  );
}
