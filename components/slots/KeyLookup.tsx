'use client';

import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { keyslotQuery } from '@/lib/client/queries';
import type { SnapshotNode } from '@/lib/cluster/types';

/** Type a key, see its hash tag, slot, owning master and replicas (computed on the server from the cached map). */
export function KeyLookup({
  clusterId,
  nodes,
  onSlot,
}: {
  clusterId: string;
  nodes: SnapshotNode[];
  onSlot: (slot: number) => void;
}) {
  const [key, setKey] = useState<string>();
  const lookup = useQuery({ ...keyslotQuery(clusterId, key ?? ''), enabled: key !== undefined });
  const addr = (id: string | null) => nodes.find((n) => n.id === id)?.addr ?? id?.slice(0, 8) ?? '–';

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setKey(String(new FormData(event.currentTarget).get('key') ?? ''));
  }

  const result = lookup.data;
  return (
    <div className="space-y-2">
      <form onSubmit={submit} className="flex gap-2">
        <label className="sr-only" htmlFor="key-lookup">
          Key
        </label>
        <input
          id="key-lookup"
          name="key"
          placeholder="key, e.g. {user1000}.following"
          className="min-w-0 flex-1 rounded border border-border bg-bg px-3 py-1.5 font-mono text-sm"
        />
        <button type="submit" className="rounded border border-border px-3 py-1.5 text-sm hover:border-muted">
          Look up
        </button>
      </form>
      {lookup.error && <p className="text-sm text-crit">{lookup.error.message}</p>}
      {result && (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-sm" data-testid="key-lookup-result">
          <dt className="text-muted">key</dt>
          <dd className="truncate font-mono" title={result.key}>
            {result.key}
          </dd>
          <dt className="text-muted">hash tag</dt>
          <dd className="font-mono">{result.hashTag ?? '(none: the whole key is hashed)'}</dd>
          <dt className="text-muted">slot</dt>
          <dd className="tabular font-semibold">
            <button
              type="button"
              className="underline"
              onClick={() => onSlot(result.slot)}
              data-testid="key-lookup-slot"
            >
              {result.slot}
            </button>
          </dd>
          <dt className="text-muted">master</dt>
          <dd>{addr(result.masterId)}</dd>
          <dt className="text-muted">replicas</dt>
          <dd>{result.replicaIds.length ? result.replicaIds.map(addr).join(', ') : '–'}</dd>
        </dl>
      )}
    </div>
  );
}
