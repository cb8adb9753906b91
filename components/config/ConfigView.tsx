'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { configDiffQuery } from '@/lib/client/config';
import { formatClock } from '@/lib/format';
import { configUnavailableText } from '@/lib/nodeConfig/diff';
import { ConfigDiffTable } from './ConfigDiffTable';
import { ConfigSetDialog } from './ConfigSetDialog';
import { RecentConfigSet } from './RecentConfigSet';

/** CONFIG GET * across the cluster: what differs, who could not be read, and "Set on every node…" for admins. */
export function ConfigView({
  clusterId,
  clusterName,
  isAdmin,
}: {
  clusterId: string;
  clusterName: string;
  isAdmin: boolean;
}) {
  const diff = useQuery(configDiffQuery(clusterId));
  const [setting, setSetting] = useState<string | undefined>();
  const data = diff.data;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-2xl font-semibold">
          {clusterName} <span className="text-base font-normal text-muted">configuration across nodes</span>
        </h1>
        <div className="flex items-baseline gap-3">
          <Link href={`/clusters/${encodeURIComponent(clusterId)}`} className="text-sm text-muted underline">
            ← overview
          </Link>
          <button
            type="button"
            className="rounded border border-border px-3 py-1 text-sm"
            onClick={() => void diff.refetch()}
            disabled={diff.isFetching}
          >
            Read again
          </button>
          {isAdmin && (
            <button
              type="button"
              className="rounded bg-warn px-3 py-1 text-sm font-semibold text-bg"
              onClick={() => setSetting('')}
              data-testid="config-set-open"
            >
              Set on every node…
            </button>
          )}
        </div>
      </div>
      <p className="text-sm text-muted">
        <code>CONFIG GET *</code> on every master and replica, read when you open this page (kept 5 s). Only parameters
        whose value is not the same everywhere are listed. Passwords are never shown.
        {data && ` Read at ${formatClock(new Date(data.readAt))} from ${data.read} node(s).`}
      </p>
      {diff.error && (
        <p className="text-crit" role="alert">
          {diff.error.message}
        </p>
      )}
      {data && data.unreadable.length > 0 && (
        <ul className="space-y-1 rounded border border-warn/60 p-3 text-sm" data-testid="config-unreadable">
          {data.unreadable.map((u) => (
            <li key={u.id} data-testid="config-unreadable-node" data-addr={u.addr} data-command={u.command ?? ''}>
              <strong>{u.addr}</strong> <span className="text-muted">({u.role})</span>:{' '}
              <span className="text-warn">{u.command ? configUnavailableText(u.command) : u.reason}</span>
            </li>
          ))}
        </ul>
      )}
      {setting === undefined && <RecentConfigSet clusterId={clusterId} />}
      {data && <ConfigDiffTable diff={data} />}
      {setting !== undefined && (
        <ConfigSetDialog
          clusterId={clusterId}
          onClose={() => {
            setSetting(undefined);
            void diff.refetch();
          }}
        />
      )}
    </div>
  );
}
