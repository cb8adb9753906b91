import 'server-only';
import type { FailoverMode } from '@/lib/failover/prechecks';
import type { ClusterNodeLine } from '@/lib/redis/clusterNodes';
import { rangeContains, type SlotRange } from '@/lib/redis/slots';
import type { JobConnections } from './jobConnections';

export interface ElectionAttempt {
  replicaId: string;
  oldMasterId: string | null;
  shardSlots: SlotRange[];
  epochBefore: number;
  mode: FailoverMode;
  /** Default mode only: whether the replica reached the master's offset. */
  caughtUp: boolean;
  manualFailoverTimeoutMs: number;
  /** Redis's own reasons to hold this election back, from the timeline (electionWaits). */
  waits: Array<{ reason: string; waitMs: number }>;
  /** Every other member, to read their views. */
  memberIds: string[];
  name: (id: string | null) => string;
}

/** The node the answering views most often give the shard's first slot to. */
function shardOwner(views: Iterable<ClusterNodeLine[]>, slots: SlotRange[]): ClusterNodeLine | undefined {
  const first = slots[0]?.[0];
  if (first === undefined) return undefined;
  const votes = new Map<string, { line: ClusterNodeLine; count: number }>();
  for (const view of views) {
    const owner = view.find((l) => rangeContains(l.slots, first));
    if (!owner) continue;
    const entry = votes.get(owner.id) ?? { line: owner, count: 0 };
    entry.count++;
    votes.set(owner.id, entry);
  }
  return [...votes.values()].sort((a, b) => b.count - a.count)[0]?.line;
}

/**
 * Why the replica was not elected by the deadline, read from the nodes' own views on the job's connections: the
 * replica stopped answering, a sibling replica won, or the masters refused their votes / the attempt expired.
 * Each answer says what happened to writers and what to do.
 */
export async function diagnoseNotElected(conns: JobConnections, a: ElectionAttempt): Promise<string> {
  const [own, views] = await Promise.all([
    conns.view(a.replicaId).then((v) => v?.find((l) => l.myself)),
    conns.views(a.memberIds),
  ]);
  const owner = shardOwner(views.values(), a.shardSlots);
  const timeout = `${a.manualFailoverTimeoutMs / 1000} s`;
  const writers =
    a.mode === 'default'
      ? ` The master resumed writers on its own after the manual failover timeout (${timeout}); nothing acknowledged was lost.`
      : '';
  if (owner && owner.id !== a.oldMasterId && owner.id !== a.replicaId && owner.configEpoch > a.epochBefore) {
    return `a sibling replica, ${a.name(owner.id)}, won the election instead (config epoch ${owner.configEpoch}; ${views.size} answering node(s) see it as the shard's master): an automatic failover, or another manual one, got there first.${own ? '' : ' The replica you chose no longer answers.'} The shard has a working master; to make ${a.name(a.replicaId)} master anyway, fail over again to it once it replicates from the new master.`;
  }
  if (!own) {
    const error = conns.errorOf(a.replicaId);
    return `the replica stopped answering${error ? ` (${error})` : ''} before it was elected: it is down or hung, so it cannot take over${owner?.id === a.oldMasterId ? `, and ${a.name(a.oldMasterId)} still serves the shard` : ''}.${writers} Check the replica's process and log; retry once it is back, or fail over to another replica of the shard.`;
  }
  const stillMaster = owner?.id === a.oldMasterId ? ` ${a.name(a.oldMasterId)} is still the shard's master.` : '';
  if (a.mode === 'default' && !a.caughtUp) {
    return `the replica never reached its master's replication offset within the manual failover timeout (${timeout}): the master did not pause writers for it, or replication is stuck.${stillMaster}${writers} Check master_link_status and the replica's log ("Manual failover timed out"), then retry.`;
  }
  const reused = own.role === 'master' ? ' It called itself master with an old epoch, and the cluster undid it.' : '';
  const explained = a.waits.length
    ? ` Redis explains it: ${a.waits.map((w) => w.reason).join('; ')}; retry in ${Math.ceil(Math.max(...a.waits.map((w) => w.waitMs)) / 1000)} s.`
    : ' Check that a majority of masters reach the replica and each other on the cluster bus (port + 10000), and the replica\'s log ("Failover auth denied", "Failover attempt expired").';
  return `the replica was not elected within the manual failover timeout (${timeout}): the masters did not grant it a majority of votes, or the attempt expired.${reused}${stillMaster}${writers}${explained}`;
}
