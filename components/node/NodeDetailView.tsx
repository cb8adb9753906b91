'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { nodeDetailQuery, slowlogQuery, snapshotQuery } from '@/lib/client/queries';
import { notPermittedText } from '@/lib/redis/refusal';
import { NodeFlags } from '../cluster/NodeFlags';
import { NodeClusterPanels } from './NodeClusterPanels';
import { SlowlogTable } from './SlowlogTable';

export function NodeDetailView({ clusterId, nodeId }: { clusterId: string; nodeId: string }) {
  const detail = useQuery(nodeDetailQuery(clusterId, nodeId));
  const slowlog = useQuery(slowlogQuery(clusterId, nodeId));
  const snapshot = useQuery(snapshotQuery(clusterId));
  const peers = new Map((snapshot.data?.nodes ?? []).map((n) => [n.id, n.addr]));
  const node = detail.data?.node;
  return (
    <div className="space-y-6">
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
          <NodeFlags flags={node.flags} />
          {!node.reachable && <span className="text-crit">unreachable: {node.error}</span>}
        </header>
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
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Slow log</h2>
        {slowlog.error && <p className="text-crit">{slowlog.error.message}</p>}
        {slowlog.data && <SlowlogTable entries={slowlog.data.entries} notPermitted={slowlog.data.notPermitted} />}
      </section>
      {detail.data && (
        <section className="space-y-2">
          <h2 className="text-lg font-semibold">INFO</h2>
          <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
            {Object.entries(detail.data.infoSections).map(([section, fields]) => (
              <div key={section} className="rounded-lg border border-border bg-panel p-3">
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
        </section>
      )}
    </div>
  );
}
