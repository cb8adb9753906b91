import type { ClusterNodeLine } from '../redis/clusterNodes';
import { SLOT_COUNT, slotCount } from '../redis/slots';

/** What the rolling restart job read from one member just now (its own connection, not the poller's snapshot). */
export interface NodeProbe {
  id: string;
  addr: string;
  /** It answered CLUSTER NODES. */
  answered: boolean;
  /** CLUSTER INFO cluster_state. */
  clusterState?: string;
  /** Its own CLUSTER NODES view. */
  view?: ClusterNodeLine[];
  /** INFO replication master_link_status (replicas). */
  linkStatus?: string;
}

export interface HealthProblem {
  text: string;
  /** The cluster itself says a node is down (FAIL, agreed by a majority of masters): stop at once. */
  fatal: boolean;
}

export interface RestartHealth {
  ok: boolean;
  problems: HealthProblem[];
  /** One line for the checklist. */
  summary: string;
}

export interface HealthScope {
  /** The node being restarted: its absence, flags and link are expected. */
  restarting?: string;
  /** A lone master restarts: its slots are expected to be unavailable meanwhile (cluster_state, coverage). */
  slotsMayBeDown?: boolean;
}

/**
 * The cluster's health between the steps of a rolling restart, from every member's own view: cluster_state:ok on the
 * nodes that answer, every slot covered by a master no view flags FAIL, no node flagged FAIL or PFAIL, every replica's
 * link up, every member answering. The restarting node is left out. FAIL (the cluster's verdict) is fatal; the rest may
 * be transient (a link resyncing, a PFAIL about to clear) and the job allows it a grace period.
 */
export function restartHealth(probes: readonly NodeProbe[], scope: HealthScope = {}): RestartHealth {
  const problems: HealthProblem[] = [];
  const others = probes.filter((p) => p.id !== scope.restarting);
  const answering = others.filter((p) => p.answered && p.view);
  const addr = (id: string) => probes.find((p) => p.id === id)?.addr ?? id.slice(0, 8);
  for (const p of others) if (!p.answered) problems.push({ text: `${p.addr} does not answer`, fatal: false });
  if (answering.length === 0) problems.push({ text: 'no member answers', fatal: true });

  const flagged = new Map<string, { fail: string[]; pfail: string[] }>();
  for (const p of answering) {
    for (const line of p.view ?? []) {
      if (line.id === scope.restarting || line.myself) continue;
      const entry = flagged.get(line.id) ?? { fail: [], pfail: [] };
      if (line.flags.includes('fail')) entry.fail.push(p.addr);
      else if (line.flags.includes('fail?')) entry.pfail.push(p.addr);
      flagged.set(line.id, entry);
    }
  }
  for (const [id, seen] of flagged) {
    if (seen.fail.length)
      problems.push({ text: `${addr(id)} is flagged FAIL by ${seen.fail.join(', ')}`, fatal: true });
    else if (seen.pfail.length)
      problems.push({ text: `${addr(id)} is flagged PFAIL by ${seen.pfail.join(', ')}`, fatal: false });
  }

  if (!scope.slotsMayBeDown) {
    for (const p of answering)
      if (p.clusterState !== 'ok')
        problems.push({ text: `${p.addr} reports cluster_state:${p.clusterState ?? 'unknown'}`, fatal: false });
    const reference = answering[0]?.view ?? [];
    const covered = slotCount(
      reference.filter((l) => l.role === 'master' && !l.flags.includes('fail')).flatMap((l) => l.slots),
    );
    if (answering.length && covered < SLOT_COUNT)
      problems.push({ text: `${SLOT_COUNT - covered} slots not covered (by ${answering[0]?.addr})`, fatal: false });
  }

  for (const p of answering) {
    const own = p.view?.find((l) => l.myself);
    if (own?.role === 'replica' && p.linkStatus !== 'up')
      problems.push({ text: `${p.addr}: master_link_status:${p.linkStatus ?? 'unknown'}`, fatal: false });
  }

  const ok = problems.length === 0;
  const summary = ok
    ? `healthy: ${answering.length} nodes answer${scope.restarting ? ` (besides ${addr(scope.restarting)})` : ''}, cluster_state:ok, all slots covered, no FAIL/PFAIL, links up`
    : problems.map((p) => p.text).join('; ');
  return { ok, problems, summary };
}
