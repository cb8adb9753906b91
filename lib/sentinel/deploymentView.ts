import type { Finding } from '../findings/types';
import type { HaproxyServer, SentinelDataNode, SentinelSnapshot, SentinelView } from './types';
import type { SentinelNodeGlance, SentinelNodeState } from './wall';

/**
 * What the Sentinel deployment page reads off a snapshot, worked out once and pure, so the page, the tests and the
 * wall agree: who disagrees on the master, what HAProxy routes where, and who sits on which host.
 */

/** A data node's state as the screens say it (the wall's vocabulary): never by colour alone, always with this word. */
export const DATA_NODE_WORD: Record<SentinelNodeState, string> = {
  up: 'up',
  unreachable: 'unreachable from here',
  down: 'down (sentinels)',
  lagging: 'lagging',
  linkDown: 'link down',
  rogueMaster: 'says master',
};

/**
 * As the wall's glance says it (lib/sentinel/wall.ts): down: the sentinels flag it s_down / o_down (it stopped
 * answering them); unreachable: the dashboard cannot reach it but no sentinel says it is down (a path from here, maybe
 * not a failure); linkDown: a replica whose replication link is down; lagging: the findings say so.
 */
export function dataNodeState(node: SentinelDataNode, findings: readonly Finding[] = []): SentinelNodeState {
  if (node.sentinelFlags.some((f) => f === 's_down' || f === 'o_down')) return 'down';
  if (!node.reachable) return 'unreachable';
  if (node.linkUp === false) return 'linkDown';
  if (findings.some((f) => f.code === 'sentinel_replica_lagging' && f.nodeIds.includes(node.addr))) return 'lagging';
  return 'up';
}

/** The master the sentinels agree on (or most name): the address every other view is checked against. */
export function agreedMaster(snapshot: SentinelSnapshot): string | undefined {
  return snapshot.master?.addr ?? snapshot.agreement.addrs[0];
}

export interface SentinelRow {
  sentinel: SentinelView;
  /** This sentinel names a master other than the one most sentinels name (or none while others name one). */
  disagrees: boolean;
}

export function sentinelRows(snapshot: SentinelSnapshot): SentinelRow[] {
  const master = agreedMaster(snapshot);
  return snapshot.sentinels.map((sentinel) => ({
    sentinel,
    disagrees: sentinel.reachable && master !== undefined && sentinel.masterAddr !== master,
  }));
}

/** "All 3 reachable sentinels name 127.0.0.1:6379" / "Sentinels disagree: 2 name A, 1 names B". */
export function agreementSentence(snapshot: SentinelSnapshot): string {
  const { reachable, total } = snapshot.agreement;
  if (reachable === 0) return `No sentinel answers (0 of ${total} reachable from here).`;
  const counts = new Map<string, number>();
  for (const s of snapshot.sentinels) {
    if (!s.reachable) continue;
    const name = s.masterAddr ?? 'no master';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const missing = total - reachable;
  const tail = missing > 0 ? ` (${missing} of ${total} not reachable from here)` : '';
  if (counts.size === 1) {
    const [addr] = [...counts.keys()];
    return `${reachable === 1 ? 'The one reachable sentinel names' : `All ${reachable} reachable sentinels name`} ${addr} as master${tail}.`;
  }
  const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([addr, n]) => `${n} name${n === 1 ? 's' : ''} ${addr}`);
  return `Sentinels disagree on the master: ${parts.join(', ')}${tail}.`;
}

export { type FailoverVote, failoverVote } from './failoverVote';

/** The sentinels' settings for the master, when they all say the same; else each distinct value. */
export function sharedSetting(snapshot: SentinelSnapshot, pick: (s: SentinelView) => number | undefined): number[] {
  const values = new Set<number>();
  for (const s of snapshot.sentinels) {
    const v = pick(s);
    if (s.reachable && v !== undefined) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

export interface HaproxyRow {
  server: HaproxyServer;
  /** The data node behind this server, when HAProxy's address matches one of the deployment. */
  node?: SentinelDataNode;
  /** HAProxy routes clients here although the sentinels name another master (only when the address is known). */
  wrongRoute: boolean;
  /** HAProxy routes clients here and its stats give no address: whether it is the master cannot be checked. */
  unmatched: boolean;
}

export interface HaproxyReading {
  /**
   * The stats answered this poll with the configured backend. When false, the routing is unknown: rows are the servers
   * as last read (at lastOkAt, greyed on the page), or none, and routed/agrees say nothing about now. False too when the
   * stats answered with an error (the backend is not in them): HAProxy runs, but what it routes is not known.
   */
  known: boolean;
  /** When the rows were read, for rows of an earlier poll (ISO 8601). */
  lastOkAt?: string;
  rows: HaproxyRow[];
  /** Servers HAProxy routes to right now (a backup only when no active server is UP). */
  routed: number;
  /** Routed servers without an address in the stats (HTTP stats without `stats show-legends`). */
  unmatched: number;
  /** One routed server, and its address is the sentinels' master. */
  agrees: boolean;
}

export function haproxyReading(snapshot: SentinelSnapshot): HaproxyReading | undefined {
  const haproxy = snapshot.haproxy;
  if (!haproxy) return undefined;
  const master = agreedMaster(snapshot);
  // The master as named and as the dashboard dials it (natMap): HAProxy may list either (as haproxyFindings matches).
  const masterAddrs = new Set(
    [master, snapshot.master?.addr === master ? snapshot.master?.connectAddr : undefined].filter(
      (a): a is string => a !== undefined,
    ),
  );
  const nodes = new Map(dataNodes(snapshot).map((n) => [n.addr, n]));
  const servers = haproxy.reachable ? haproxy.servers : (haproxy.lastServers ?? []);
  const rows = servers.map((server): HaproxyRow => {
    const addr = server.nodeAddr ?? server.addr;
    const isMaster = [server.nodeAddr, server.addr].some((a) => a !== undefined && masterAddrs.has(a));
    return {
      server,
      node: addr ? nodes.get(addr) : undefined,
      wrongRoute: server.routed && master !== undefined && addr !== undefined && !isMaster,
      unmatched: server.routed && addr === undefined,
    };
  });
  const routed = rows.filter((r) => r.server.routed).length;
  const unmatched = rows.filter((r) => r.unmatched).length;
  if (!haproxy.reachable || haproxy.error)
    return {
      known: false,
      ...(!haproxy.reachable && haproxy.lastOkAt ? { lastOkAt: haproxy.lastOkAt } : {}),
      rows,
      routed,
      unmatched,
      agrees: false,
    };
  return {
    known: true,
    rows,
    routed,
    unmatched,
    agrees: routed === 1 && unmatched === 0 && !rows.some((r) => r.wrongRoute),
  };
}

export type HaproxyTone = 'warn' | 'crit' | undefined;

/**
 * "routes to the master", "routes to 2 nodes", "not reachable from here", for the banner: the same severity as the
 * HAProxy findings (a server without address or a backend missing from the stats is a warning, never "another node").
 */
export function haproxyWord(
  snapshot: SentinelSnapshot,
  reading: HaproxyReading | undefined,
): { text: string; tone: HaproxyTone } {
  if (!snapshot.haproxy || !reading) return { text: 'not configured', tone: undefined };
  if (!snapshot.haproxy.reachable)
    return snapshot.haproxy.lastOkAt
      ? { text: 'stopped answering', tone: 'crit' }
      : { text: 'unreachable from here', tone: 'warn' };
  // The stats answered without the configured backend: HAProxy runs, its routing is unknown.
  if (!reading.known) return { text: 'routing unknown', tone: 'warn' };
  if (reading.routed === 0) return { text: 'routes to no node', tone: 'crit' };
  if (reading.agrees) return { text: 'routes to the master', tone: undefined };
  if (reading.routed > 1) {
    // Beside the master, nodes that answer role:replica refuse writes (READONLY): HAProxy's check has not failed them
    // yet (seconds after a failover), as haproxy_routes_replica says; two that take writes are a split brain.
    const others = reading.rows.filter((r) => r.server.routed && r.wrongRoute);
    const masterRouted = reading.rows.some((r) => r.server.routed && !r.wrongRoute && !r.unmatched);
    if (masterRouted && others.length && others.every((r) => r.node?.role === 'replica'))
      return { text: 'still routes to a replica', tone: 'warn' };
    return { text: `routes to ${reading.routed} nodes`, tone: 'crit' };
  }
  if (reading.unmatched > 0) return { text: 'routes to a server without address', tone: 'warn' };
  return { text: 'routes to another node', tone: 'crit' };
}

/**
 * A replica's lag in bytes as the page shows it: the master's INFO gives the replica's last ACKed offset (sent once a
 * second), so at a steady write rate it reads a second of writes behind a replica that is in fact level. The replica's
 * own slave_repl_offset, read in the same poll, is fresher: the smaller of the two, 0 when it has the master's offset.
 */
export function replicaLagBytes(replica: SentinelDataNode, masterOffset: number | undefined): number | undefined {
  const own =
    replica.offset !== undefined && masterOffset !== undefined ? Math.max(0, masterOffset - replica.offset) : undefined;
  if (own === undefined) return replica.lagBytes;
  return replica.lagBytes === undefined ? own : Math.min(own, replica.lagBytes);
}

/** The master first, then the replicas as listed. */
export function dataNodes(snapshot: SentinelSnapshot): SentinelDataNode[] {
  return snapshot.master ? [snapshot.master, ...snapshot.replicas] : snapshot.replicas;
}

export type HostMemberKind = 'master' | 'replica' | 'sentinel';

export interface HostMember {
  kind: HostMemberKind;
  addr: string;
  /** Can the dashboard reach it. */
  reachable: boolean;
}

export interface HostGroup {
  host: string;
  members: HostMember[];
}

/** Who runs on which host: a master beside a majority of the sentinels, or every sentinel on one host, shows at once. */
export function hostGroups(snapshot: SentinelSnapshot): HostGroup[] {
  const groups = new Map<string, HostMember[]>();
  const add = (host: string, member: HostMember) => {
    const list = groups.get(host);
    if (list) list.push(member);
    else groups.set(host, [member]);
  };
  if (snapshot.master)
    add(snapshot.master.host, { kind: 'master', addr: snapshot.master.addr, reachable: snapshot.master.reachable });
  for (const r of snapshot.replicas) add(r.host, { kind: 'replica', addr: r.addr, reachable: r.reachable });
  for (const s of snapshot.sentinels) add(s.host, { kind: 'sentinel', addr: s.addr, reachable: s.reachable });
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([host, members]) => ({ host, members }));
}

/** Every sentinel on one host (one machine lost = no quorum), counted only with two or more sentinels. */
export function sentinelsOnOneHost(snapshot: SentinelSnapshot): string | undefined {
  const hosts = new Set(snapshot.sentinels.map((s) => s.host));
  const [only] = [...hosts];
  return snapshot.sentinels.length > 1 && hosts.size === 1 ? only : undefined;
}

/** Counts the overview and the wall show: data nodes answering, sentinels answering. */
export function deploymentCounts(snapshot: SentinelSnapshot) {
  const nodes = dataNodes(snapshot);
  return {
    nodesUp: nodes.filter((n) => n.reachable).length,
    nodesKnown: nodes.length,
    sentinelsUp: snapshot.sentinels.filter((s) => s.reachable).length,
    sentinelsTotal: snapshot.sentinels.length,
  };
}

/**
 * The wall strip's cells: every node up to `max`; past that, max - 1 cells (the master and the nodes not up first, then
 * replicas up) and one cell counting the rest, saying how many of them are not up.
 */
export function stripNodes(
  nodes: readonly SentinelNodeGlance[],
  max: number,
): { shown: SentinelNodeGlance[]; rest: number; restNotUp: number } {
  if (nodes.length <= max) return { shown: [...nodes], rest: 0, restNotUp: 0 };
  const first = (n: SentinelNodeGlance) => n.role === 'master' || n.state !== 'up';
  const shown = [...nodes.filter(first), ...nodes.filter((n) => !first(n))].slice(0, max - 1);
  const hidden = nodes.filter((n) => !shown.includes(n));
  return { shown, rest: hidden.length, restNotUp: hidden.filter((n) => n.state !== 'up').length };
}
