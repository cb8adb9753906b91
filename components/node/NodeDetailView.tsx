'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { useInteractionPainted } from '@/lib/client/interactionTiming';
import { nodeDetailQuery, slowlogQuery, snapshotQuery } from '@/lib/client/queries';
import { nodeSummary } from '@/lib/cluster/nodeSummary';
import { formatMs } from '@/lib/format';
import { notPermittedText } from '@/lib/redis/refusal';
import { NodeFlags } from '../cluster/NodeFlags';
import { FailoverWizard } from '../failover/FailoverWizard';
import { NodeClusterPanels } from './NodeClusterPanels';
import { NodePersistence } from './NodePersistence';
import { NodeSummary } from './NodeSummary';
import { RawSection } from './RawSection';
import { SlowlogTable } from './SlowlogTable';

export function NodeDetailView({
  clusterId,
  nodeId,
  canOperate = false,
  isAdmin = false,
}: {
  clusterId: string;
  nodeId: string;
  /** Operators get the failover action, which opens the same wizard as the cluster page. */
  canOperate?: boolean;
  isAdmin?: boolean;
}) {
  const detail = useQuery(nodeDetailQuery(clusterId, nodeId));
  const slowlog = useQuery(slowlogQuery(clusterId, nodeId));
  const snapshot = useQuery(snapshotQuery(clusterId));
  const [failoverTarget, setFailoverTarget] = useState<{ replicaId?: string; masterId?: string }>();
  const peers = new Map((snapshot.data?.nodes ?? []).map((n) => [n.id, n.addr]));
  // The snapshot already in the page (the cluster page's stream filled it) shows the node at once; the node's own
  // read replaces it when it answers.
  const node = detail.data?.node ?? snapshot.data?.nodes.find((n) => n.id === nodeId);
  useInteractionPainted('node-open', nodeId, node !== undefined);
  const replication = detail.data?.infoSections.replication;
  const summary = useMemo(
    () =>
      node
        ? nodeSummary(node, snapshot.data?.nodes ?? [node], {
            collectedAt: snapshot.data?.collectedAt ?? new Date().toISOString(),
            lastIoSecondsAgo: replication?.master_last_io_seconds_ago,
          })
        : undefined,
    [node, snapshot.data, replication],
  );
  const entries = slowlog.data?.entries ?? [];
  const slowest = entries.reduce((max, e) => Math.max(max, e.durationMicros), 0);
  const slowlogLine = slowlog.data?.notPermitted
    ? 'not permitted'
    : slowlog.error
      ? 'not read'
      : !slowlog.data
        ? 'reading…'
        : entries.length === 0
          ? 'empty'
          : `${entries.length} entries; slowest ${formatMs(slowest / 1000)}`;
  const sections = Object.keys(detail.data?.infoSections ?? {});
  const infoLine = `${sections.length} sections: ${sections.join(', ')}`;
  return (
    <div className="space-y-4">
      <Link href={`/clusters/${encodeURIComponent(clusterId)}`} className="text-sm text-muted underline">
        ← cluster overview
      </Link>
      {detail.error && <p className="text-crit">{detail.error.message}</p>}
      {node && (
        <header className="flex flex-wrap items-baseline gap-4">
          <h1 className="text-2xl font-semibold" data-testid="node-title">
            {node.addr} <span className="text-base font-normal text-muted">{node.role}</span>
          </h1>
          <span className="font-mono text-xs text-muted">{node.id}</span>
          {node.flags.some((f) => f !== 'master' && f !== 'slave') && <NodeFlags flags={node.flags} />}
        </header>
      )}
      {node && summary && (
        <NodeSummary
          clusterId={clusterId}
          node={node}
          summary={summary}
          onFailover={canOperate ? setFailoverTarget : undefined}
        />
      )}
      {node && <NodePersistence node={node} collectedAt={snapshot.data?.collectedAt} />}
      {failoverTarget && snapshot.data && (
        <FailoverWizard
          clusterId={clusterId}
          start={{ target: failoverTarget }}
          nodes={snapshot.data.nodes}
          isAdmin={isAdmin}
          onClose={() => setFailoverTarget(undefined)}
        />
      )}
      {node?.refused?.length ? (
        <ul className="space-y-1 rounded-lg border border-border bg-panel p-3 text-sm" data-testid="node-refused">
          {node.refused.map((r) => (
            <li key={r.command}>
              <span className="text-warn">
                {notPermittedText({ user: snapshot.data?.user ?? 'default', command: r.command })}
              </span>{' '}
              <span className="text-muted">
                {r.reason === 'not permitted' ? '' : `(${r.reason}) `}— no {r.feature} for this node.
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {node && <NodeClusterPanels clusterId={clusterId} node={node} peers={peers} user={snapshot.data?.user} />}
      <RawSection id="slowlog" title="Slow log" line={slowlogLine}>
        {slowlog.error && <p className="text-crit">{slowlog.error.message}</p>}
        {slowlog.data && <SlowlogTable entries={slowlog.data.entries} notPermitted={slowlog.data.notPermitted} />}
      </RawSection>
      {detail.data && (
        <RawSection id="info" title="INFO" line={infoLine}>
          <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
            {Object.entries(detail.data.infoSections).map(([section, fields]) => (
              <div key={section} className="rounded-lg border border-border p-3">
                <h3 className="mb-2 text-xs uppercase tracking-wider text-muted">{section}</h3>
                <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-xs">
                  {Object.entries(fields).map(([key, value]) => (
                    <div key={key} className="contents">
                      <dt className="text-muted">{key}</dt>
                      <dd className="truncate font-mono" title={value}>
                        {value}
                      </dd>
                    </div>
                  ))}
                </dl>
              </div>
            ))}
          </div>
        </RawSection>
      )}
    </div>
  );
}
