import { formatBytes, formatCount, shortId } from '@/lib/format';
import type { PreviewKey, ReshardPreview } from '@/lib/jobs/reshardPreview';
import { formatRanges } from '@/lib/redis/slots';
import { formatDuration } from '@/lib/reshard/job';
import { Term } from '../common/Term';
import { PlanChecks } from '../failover/PlanChecks';

/** Key names come from Redis: rendered as text, truncated, the whole name on hover. */
function KeyName({ name, wide = false }: { name: string; wide?: boolean }) {
  return (
    <span
      className={`inline-block ${wide ? 'max-w-[min(40rem,60vw)]' : 'max-w-[18rem]'} truncate align-bottom font-mono`}
      title={name}
    >
      {name}
    </span>
  );
}

function BigKeyWarning({ keys, addr }: { keys: Array<PreviewKey & { nodeId: string }>; addr: (id: string) => string }) {
  if (keys.length === 0) return null;
  return (
    <div className="rounded border border-warn/60 bg-warn/10 px-3 py-2 text-sm" data-testid="reshard-big-keys">
      <p className="font-semibold text-warn">
        <span aria-hidden="true">! </span>
        {keys.length === 1 ? 'A ' : `${keys.length} `}
        <Term word="bigKey">{keys.length === 1 ? 'big key' : 'big keys'}</Term> in these slots: each moves alone, and
        its source and the target answer nothing else while it is copied.
      </p>
      <ul className="tabular mt-1 space-y-0.5">
        {keys.map((k) => (
          <li key={`${k.nodeId}/${k.key}`} data-testid="reshard-big-key" data-key={k.key}>
            <KeyName name={k.key} wide /> <span className="text-muted">{k.type ?? ''}</span>{' '}
            <strong>{formatBytes(k.bytes)}</strong> <span className="text-muted">slot {k.slot} on</span>{' '}
            {addr(k.nodeId)}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The plan before anything moves: the whole move in one sentence with its estimate, big keys named first, per source
 * the slots, keys, estimated bytes and biggest keys, the pre-flight checks (failing first), and whether the nodes offer
 * atomic slot migration.
 */
export function ReshardPlanPreview({
  preview,
  addr,
  stale,
}: {
  preview: ReshardPreview;
  addr: (id: string) => string;
  /** The inputs changed since this preview was made. */
  stale: boolean;
}) {
  const big = preview.sources
    .flatMap((s) => s.bigKeys.filter((k) => k.big).map((k) => ({ ...k, nodeId: s.nodeId })))
    .sort((a, b) => b.bytes - a.bytes);
  const sources = preview.sources.length;
  return (
    <section
      className={`space-y-3 ${stale ? 'opacity-50' : ''}`}
      aria-label="Plan preview"
      data-testid="reshard-preview"
      data-slots={preview.slots}
      data-keys={preview.keys}
      data-allowed={String(preview.allowed)}
      data-stale={String(stale)}
    >
      <p className="text-base" data-testid="reshard-summary">
        Moves <strong className="tabular">{formatCount(preview.slots)}</strong> {preview.slots === 1 ? 'slot' : 'slots'}{' '}
        holding <strong className="tabular">{formatCount(preview.keys)}</strong> keys (about{' '}
        <strong className="tabular">{formatBytes(preview.bytes)}</strong>) from {sources}{' '}
        {sources === 1 ? 'master' : 'masters'} to <strong>{addr(preview.targetId)}</strong>.{' '}
        {preview.etaMs !== undefined ? (
          <span data-testid="reshard-eta">
            Estimated <strong className="tabular">{formatDuration(preview.etaMs)}</strong>
            {preview.keysPerSec ? (
              <span className="text-muted"> at the measured {formatCount(preview.keysPerSec)} keys/s</span>
            ) : null}
            .
          </span>
        ) : (
          <span className="text-muted" data-testid="reshard-eta">
            No estimate yet: the engine has not measured a rate on this cluster.
          </span>
        )}
      </p>
      <p className="text-sm text-muted">
        Clients keep working during the move: a key already moved is answered with an ASK redirect to the new master.
        Each slot is <Term word="migrating" /> on its source and <Term word="importing" /> on the target only while its
        keys move.
      </p>
      <BigKeyWarning keys={big} addr={addr} />
      <table className="tabular w-full table-fixed text-left text-sm">
        <thead className="text-xs text-muted">
          <tr>
            <th className="w-44 py-1 pr-3 font-normal">from master</th>
            <th className="py-1 pr-3 font-normal">slots</th>
            <th className="w-24 py-1 pr-3 text-right font-normal">keys</th>
            <th className="w-24 py-1 pr-3 text-right font-normal">≈ size</th>
            <th className="w-[34%] py-1 font-normal">biggest keys</th>
          </tr>
        </thead>
        <tbody>
          {preview.sources.map((s) => (
            <tr
              key={s.nodeId}
              className="border-t border-border align-top"
              data-testid="reshard-source"
              data-node-id={s.nodeId}
              data-slots={s.slotCount}
              data-keys={s.keys}
            >
              <td className="py-1 pr-3">
                {s.addr}{' '}
                <span className="text-xs text-muted" title={s.nodeId}>
                  {shortId(s.nodeId)}
                </span>
              </td>
              <td className="py-1 pr-3">
                <strong>{formatCount(s.slotCount)}</strong>{' '}
                <span className="break-all font-mono text-xs text-muted">{formatRanges(s.slots)}</span>
              </td>
              <td className="py-1 pr-3 text-right">{formatCount(s.keys)}</td>
              <td className="py-1 pr-3 text-right">{formatBytes(s.bytes)}</td>
              <td className="py-1 text-xs">
                {s.bigKeys.length === 0 ? (
                  <span className="text-muted">–</span>
                ) : (
                  <ul>
                    {s.bigKeys.slice(0, 3).map((k) => (
                      <li key={k.key} className={`truncate ${k.big ? 'font-semibold text-warn' : ''}`}>
                        <KeyName name={k.key} /> {formatBytes(k.bytes)}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <PlanChecks checks={preview.checks} testId="reshard" />
      <p className="text-sm" data-testid="reshard-atomic" data-available={String(preview.atomic.available)}>
        <Term word="atomicMigration">Atomic slot migration</Term>:{' '}
        {preview.atomic.available ? (
          <>
            <strong className="text-ok">available</strong>
            {preview.atomic.command ? (
              <>
                {' '}
                (<code className="font-mono text-xs">{preview.atomic.command}</code>)
              </>
            ) : null}
            <span className="text-muted"> on every node involved; this reshard still moves keys with MIGRATE.</span>
          </>
        ) : (
          <span className="text-muted">
            not available on these nodes (it needs Valkey 9 or Redis 8.4); keys move with{' '}
            <Term word="MIGRATE">MIGRATE</Term> batches.
          </span>
        )}
        {preview.atomic.detail ? <span className="text-muted"> {preview.atomic.detail}</span> : null}
      </p>
    </section>
  );
}
