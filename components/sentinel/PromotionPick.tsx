import { formatBytes } from '@/lib/format';
import type { SentinelFailoverPlan } from '@/lib/sentinel/failoverPlan';

/** The replica the sentinels would promote, why, and its lag; every other replica folded with its rank or why not. */
export function PromotionPick({ plan }: { plan: SentinelFailoverPlan }) {
  const pick = plan.replica;
  const others = plan.candidates.filter((c) => c.addr !== pick?.addr);
  return (
    <div className="space-y-1 text-sm" data-testid="sentinel-failover-pick">
      {pick ? (
        <p>
          <span className="font-semibold">Replica to be promoted: </span>
          <span className="font-mono" data-testid="sentinel-failover-replica">
            {pick.addr}
          </span>{' '}
          — {pick.why}. Lag:{' '}
          <span className="tabular">{pick.lagBytes !== undefined ? formatBytes(pick.lagBytes) : 'not known'}</span>
          {pick.priority !== undefined ? `, replica-priority ${pick.priority}` : ''}.
        </p>
      ) : (
        <p className="text-crit">No replica the sentinels would promote.</p>
      )}
      {plan.masterAddr && <p className="text-muted">Current master: {plan.masterAddr}</p>}
      {others.length > 0 && (
        <details>
          <summary className="cursor-pointer text-muted">
            {others.length} other replica{others.length === 1 ? '' : 's'}
          </summary>
          <ul className="list-disc pl-5">
            {others.map((c) => (
              <li key={c.addr}>
                <span className="font-mono">{c.addr}</span> — {c.why}
                {c.lagBytes !== undefined ? ` (lag ${formatBytes(c.lagBytes)})` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
      <p className="text-xs text-muted">
        Sentinel’s own order: replicas flagged down or disconnected, with replica-priority 0, or out of touch too long
        are skipped; then the lowest replica-priority, the largest replication offset, the smallest run id.
      </p>
    </div>
  );
}
