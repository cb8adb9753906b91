import 'server-only';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import { flaggedFail, flaggedPfail } from '@/lib/failover/clusterView';
import type { FailoverMode } from '@/lib/failover/prechecks';
import { evaluateFindings } from '@/lib/findings';
import type { Finding } from '@/lib/findings/types';
import { normalizeRanges, type SlotRange } from '@/lib/redis/slots';
import type { ClusterPoller } from '../collect/poller';
import type { JobConnections } from './jobConnections';

const VERIFY_MS = 15_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A finding is the same finding only with the same code about the same nodes. */
const findingKey = (f: Finding) => `${f.code}:${[...f.nodeIds].sort().join(',')}`;
const sameSlots = (a: SlotRange[], b: SlotRange[]) =>
  JSON.stringify(normalizeRanges(a)) === JSON.stringify(normalizeRanges(b));

export interface VerifyInput {
  replicaId: string;
  oldMasterId: string | null;
  shardSlots: SlotRange[];
  mode: FailoverMode;
  before: ClusterSnapshot | undefined;
  memberIds: string[];
  /** Only snapshots collected after this (epoch ms) count. */
  freshAfter: number;
}

export interface Verified {
  ok: boolean;
  /** What is still missing (when not ok), or what was checked (when ok). */
  summary: string;
  onNodes: number;
  /** Critical findings not counted against the failover, and why. */
  notes: string[];
}

/**
 * Verified per shard: every answering node's own view gives the shard's slots to the new master; cluster_state is ok
 * if it was ok before; no critical finding that was not there before (same code AND same nodes), except findings
 * about nodes already down before the failover, or about the old master when FORCE/TAKEOVER left it behind.
 */
export async function verifyShard(poller: ClusterPoller, conns: JobConnections, input: VerifyInput): Promise<Verified> {
  const before = input.before;
  const criticalBefore = new Set(
    before
      ? evaluateFindings(before)
          .filter((f) => f.severity === 'critical')
          .map(findingKey)
      : [],
  );
  const downBefore = new Set(
    (before?.nodes ?? []).filter((n) => !n.reachable || flaggedFail(n) || flaggedPfail(n)).map((n) => n.id),
  );
  if (input.mode !== 'default' && input.oldMasterId) downBefore.add(input.oldMasterId);
  const stateWasOk = before?.status === 'ok';
  const deadline = Date.now() + VERIFY_MS;
  let missing = 'no fresh snapshot yet';
  let onNodes = 0;
  while (Date.now() < deadline) {
    const views = await conns.views([input.replicaId, ...input.memberIds]);
    const disagree = [...views].filter(([, view]) => {
      const line = view.find((l) => l.id === input.replicaId);
      return !(line?.role === 'master' && sameSlots(line.slots, input.shardSlots));
    });
    onNodes = views.size - disagree.length;
    const snapshot = poller.latest;
    const notes: string[] = [];
    if (views.size === 0) missing = 'no node answers the job';
    else if (disagree.length > 0)
      missing = `${disagree.length} of ${views.size} answering nodes do not yet give the shard's slots to the new master`;
    else if (!snapshot || Date.parse(snapshot.collectedAt) <= input.freshAfter) missing = 'no fresh snapshot yet';
    else if (stateWasOk && snapshot.status !== 'ok')
      missing = `cluster_state is ${snapshot.status} (it was ok before the failover)`;
    else {
      const fresh = evaluateFindings(snapshot).filter(
        (f) => f.severity === 'critical' && !criticalBefore.has(findingKey(f)),
      );
      const expected = (f: Finding) =>
        (f.code === 'cluster_state_fail' && !stateWasOk) ||
        (f.nodeIds.length > 0 && f.nodeIds.every((id) => downBefore.has(id)));
      notes.push(...fresh.filter(expected).map((f) => `${f.message} (already so before the failover)`));
      const unexpected = fresh.filter((f) => !expected(f));
      if (unexpected.length === 0) {
        const state = stateWasOk ? 'cluster_state ok, ' : '';
        return {
          ok: true,
          summary: `${state}the shard's slots on the new master in all ${views.size} answering nodes' views, no new critical finding`,
          onNodes,
          notes,
        };
      }
      missing = `new critical finding: ${unexpected.map((f) => f.message).join(' ')}`;
    }
    await sleep(200);
  }
  return { ok: false, summary: missing, onNodes, notes: [] };
}
