import type { BgsaveScope } from '../api/schemas';
import type { SnapshotNode } from '../cluster/types';

/**
 * The nodes a BGSAVE scope saves, from the snapshot (the dialog's list is the job's list): every master, or every node,
 * except a node the cluster marks FAIL that holds no slot (a dead former master: nothing to save) and nodes only a
 * minority view lists. A node that does not answer stays in: its step fails and names it.
 */
export function bgsaveTargets(nodes: readonly SnapshotNode[], scope: BgsaveScope): SnapshotNode[] {
  return nodes.filter(
    (n) =>
      (scope === 'all' || n.role === 'master') &&
      n.addr !== '' &&
      !n.notInReference &&
      !(n.flags.includes('fail') && n.slotCount === 0),
  );
}
