import type { Finding } from '@/lib/findings/types';
import type { SentinelSnapshot } from '@/lib/sentinel/types';
import { MasterCard, ReplicasTable } from './DataNodes';

/** The master the sentinels name, then its replicas. */
export function DataNodesSection({
  snapshot,
  stale,
  highlighted,
  findings,
}: {
  snapshot: SentinelSnapshot;
  stale: boolean;
  highlighted: ReadonlySet<string>;
  findings: readonly Finding[];
}) {
  const masterAddr = snapshot.master?.addr;
  return (
    <div className="space-y-3">
      <MasterCard
        master={snapshot.master}
        stale={stale}
        findings={findings}
        highlighted={masterAddr !== undefined && highlighted.has(masterAddr)}
      />
      <ReplicasTable
        replicas={snapshot.replicas}
        masterAddr={masterAddr}
        {...(snapshot.master?.offset !== undefined ? { masterOffset: snapshot.master.offset } : {})}
        sentinelsReachable={snapshot.agreement.reachable}
        stale={stale}
        findings={findings}
        highlighted={highlighted}
      />
    </div>
  );
}
