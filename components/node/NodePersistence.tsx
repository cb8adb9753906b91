'use client';

import { persistenceLine } from '@/lib/cluster/persistenceView';
import type { SnapshotNode } from '@/lib/cluster/types';
import { useNow } from '../cluster/useNow';
import { TONE_CLASS } from '../persistence/PersistenceTable';

/** This node's RDB/AOF state: last save, its status, changes not yet saved, AOF and the last fork's pause. */
export function NodePersistence({ node, collectedAt }: { node: SnapshotNode; collectedAt: string | undefined }) {
  const now = useNow();
  const line = persistenceLine(node, collectedAt ?? new Date(now).toISOString(), now);
  const rows: Array<[string, string, string?]> = line
    ? [
        ['last RDB save', line.lastSave],
        ['last BGSAVE', line.rdbStatus.text, TONE_CLASS[line.rdbStatus.tone]],
        ['changes since last save', line.changesSince],
        ['RDB save points', line.savePoints],
        ['AOF', line.aof.text, TONE_CLASS[line.aof.tone]],
        ['last fork', line.fork],
      ]
    : [];
  return (
    <section className="rounded-lg border border-border bg-panel p-3" data-testid="node-persistence">
      <h2 className="mb-2 text-xs uppercase tracking-wider text-muted">Persistence</h2>
      {line ? (
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr_auto_1fr]">
          {rows.map(([label, value, tone]) => (
            <div key={label} className="contents">
              <dt className="text-muted">{label}</dt>
              <dd className={`tabular ${tone ?? ''} ${tone === TONE_CLASS.crit ? 'font-semibold' : ''}`}>{value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="text-sm text-muted">Not reported: the node did not answer the last poll.</p>
      )}
    </section>
  );
}
