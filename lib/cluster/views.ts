import type { ClusterNodeLine, NodeReport } from './types';
import { fnv1a } from './viewSignature';

// What each answering node's own CLUSTER NODES view says, read across all of them: which view speaks for the
// cluster, who reports whom FAIL/PFAIL, replicas of masters a view does not know, keys counted per slot.

export type OkReport = Extract<NodeReport, { ok: true }>;

// What is derived from one view alone is kept per view array: the collector hands back the same array while a
// node's view is unchanged, so at N nodes a steady poll does not walk N views of N lines again and again.
function perView<T>(derive: (view: readonly ClusterNodeLine[]) => T) {
  const cache = new WeakMap<readonly ClusterNodeLine[], T>();
  return (view: readonly ClusterNodeLine[]): T => {
    if (cache.has(view)) return cache.get(view) as T;
    const value = derive(view);
    cache.set(view, value);
    return value;
  };
}

const selfOf = perView((view) => view.find((n) => n.myself));

export function selfLine(report: OkReport): ClusterNodeLine | undefined {
  return selfOf(report.nodes);
}

/** The view's membership (ids, handshakes left out) as a short hash, and how many nodes it flags fail or fail?. */
const membershipOf = perView((view) => {
  let suspects = 0;
  for (const n of view) if (n.flags.includes('fail') || n.flags.includes('fail?')) suspects++;
  const membership = fnv1a(
    view
      .filter((n) => !n.flags.includes('handshake'))
      .map((n) => n.id)
      .sort()
      .join(','),
  );
  return { membership, suspects };
});

/** The ids a view lists. */
export const idsOf = perView((view) => new Set(view.map((l) => l.id)));

/** A view's handshake lines (left out of its membership). */
const handshakesOf = perView((view) => view.filter((n) => n.flags.includes('handshake')));

/** Lines of `view` (handshakes left out) whose ids `reference` does not list; kept per pair of view arrays. */
const beyondCache = new WeakMap<
  readonly ClusterNodeLine[],
  { reference: readonly ClusterNodeLine[]; lines: ClusterNodeLine[] }
>();
export function linesBeyond(
  view: readonly ClusterNodeLine[],
  reference: readonly ClusterNodeLine[],
): ClusterNodeLine[] {
  const cached = beyondCache.get(view);
  if (cached?.reference === reference) return cached.lines;
  const known = idsOf(reference);
  const lines = view.filter((l) => !l.flags.includes('handshake') && !known.has(l.id));
  beyondCache.set(view, { reference, lines });
  return lines;
}

/** Ids the view flags fail and fail?. */
const suspectsOf = perView((view) => {
  const fail: string[] = [];
  const pfail: string[] = [];
  for (const line of view) {
    if (line.flags.includes('fail')) fail.push(line.id);
    if (line.flags.includes('fail?')) pfail.push(line.id);
  }
  return { fail, pfail };
});

const epochOf = (r: OkReport) => Number(r.clusterInfo?.cluster_current_epoch ?? 0);

/**
 * The view most reachable nodes agree with: the membership (set of node ids) the most answering nodes share, then the
 * view listing the most of the reachable nodes' own ids, then the highest current epoch, then the lowest node id. A
 * node that was forgotten (it still lists everyone, nobody lists it) or sees only itself never wins.
 */
export function chooseReference(reports: OkReport[]): OkReport | undefined {
  const selfIds = new Set(reports.map((r) => selfLine(r)?.id).filter((id): id is string => id !== undefined));
  // How many answering nodes a view lists: counted once per membership (views sharing one list the same ids), plus
  // its handshake lines; not N views × N lines every poll.
  const listedByMembership = new Map<string, number>();
  const listedIn = (view: readonly ClusterNodeLine[], membership: string) => {
    let members = listedByMembership.get(membership);
    if (members === undefined) {
      members = 0;
      for (const n of view) if (!n.flags.includes('handshake') && selfIds.has(n.id)) members++;
      listedByMembership.set(membership, members);
    }
    let handshakes = 0;
    for (const n of handshakesOf(view)) if (selfIds.has(n.id)) handshakes++;
    return members + handshakes;
  };
  // Each key computed once per report (sorting inside the comparator would be quadratic at 1000 nodes).
  const keyed = reports.map((r) => {
    const { membership, suspects } = membershipOf(r.nodes);
    const listed = listedIn(r.nodes, membership);
    return {
      r,
      membership,
      suspects,
      listed,
      ok: r.clusterInfo?.cluster_state === 'fail' ? 0 : 1,
      fresh: r.viewFromEarlierPoll ? 0 : 1,
      id: selfLine(r)?.id ?? '',
    };
  });
  const shared = new Map<string, number>();
  for (const k of keyed) shared.set(k.membership, (shared.get(k.membership) ?? 0) + 1);
  // Then a view read in this poll (an older one cannot show what changed since: it would look the healthiest).
  // Then a view that says cluster_state ok and suspects the fewest nodes: a node cut off on a minority side flags
  // everyone PFAIL and says fail; it must not speak for the cluster.
  return keyed.sort(
    (a, b) =>
      (shared.get(b.membership) ?? 0) - (shared.get(a.membership) ?? 0) ||
      b.fresh - a.fresh ||
      b.ok - a.ok ||
      a.suspects - b.suspects ||
      b.listed - a.listed ||
      epochOf(b.r) - epochOf(a.r) ||
      a.id.localeCompare(b.id),
  )[0]?.r;
}

function push(map: Map<string, string[]>, key: string, value: string) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Who, among the answering nodes, flags each node fail / fail? in its own view. */
export function failReports(reports: OkReport[]) {
  const fail = new Map<string, string[]>();
  const pfail = new Map<string, string[]>();
  for (const report of reports) {
    const by = selfLine(report)?.id;
    if (!by) continue;
    const flagged = suspectsOf(report.nodes);
    for (const id of flagged.fail) push(fail, id, by);
    for (const id of flagged.pfail) push(pfail, id, by);
  }
  return { fail, pfail };
}

/**
 * Replicas a view lists whose master that view does not know. A node that forgot a master also drops its replicas'
 * master id ("-"), so the replica's own claim (when it answers) names the master, as redis-cli --cluster check does.
 */
export function unknownMastersIn(
  view: readonly ClusterNodeLine[],
  ownMaster: (id: string) => string | null | undefined,
) {
  return orphanCandidates(view).flatMap(({ line, ids }) => {
    const masterId = line.masterId ?? ownMaster(line.id);
    return masterId && ids.has(masterId) ? [] : [{ replicaId: line.id, masterId: masterId ?? '' }];
  });
}

/** Replicas whose master the view does not list, or does not name (decided with their own claim). */
const orphanCandidates = perView((view) => {
  let ids: Set<string> | undefined;
  const candidates: Array<{ line: ClusterNodeLine; ids: Set<string> }> = [];
  for (const line of view) {
    if (line.role !== 'replica') continue;
    ids ??= new Set(view.map((l) => l.id));
    if (line.masterId === null || !ids.has(line.masterId)) candidates.push({ line, ids });
  }
  return candidates;
});

/** COUNTKEYSINSLOT answers of this poll, per slot: node id -> keys. */
export function collectSlotKeys(reports: OkReport[]): Array<{ slot: number; keys: Record<string, number> }> {
  const bySlot = new Map<number, Record<string, number>>();
  for (const report of reports) {
    const id = selfLine(report)?.id;
    if (!id || !report.slotKeys) continue;
    for (const [slot, keys] of Object.entries(report.slotKeys)) {
      const entry = bySlot.get(Number(slot)) ?? {};
      entry[id] = keys;
      bySlot.set(Number(slot), entry);
    }
  }
  return [...bySlot.entries()].sort((a, b) => a[0] - b[0]).map(([slot, keys]) => ({ slot, keys }));
}
