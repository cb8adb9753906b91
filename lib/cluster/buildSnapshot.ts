import { normalizeRanges, slotCount } from '../redis/slots';
import { summarizeInfo } from './infoSummary';
import type { ClusterNodeLine, ClusterSnapshot, ClusterStatus, NodeReport, SnapshotNode } from './types';
import { viewSignatureOf } from './viewSignature';
import {
  chooseReference,
  collectSlotKeys,
  failReports,
  idsOf,
  linesBeyond,
  type OkReport,
  selfLine,
  unknownMastersIn,
} from './views';

/** The error of a member the dashboard learned of in this poll and will ask in the next one. */
export const NOT_POLLED_YET = 'not polled yet';
export const IN_HANDSHAKE = 'in handshake: the cluster has not accepted this node yet';

export interface SnapshotInput {
  clusterId: string;
  clusterName: string;
  collectedAt: Date;
  pollDurationMs: number;
  /** One report per polled address. */
  reports: NodeReport[];
  /** Announced "host:port" -> the address the dashboard connects to (the NAT map). */
  connectAddr: (announced: string) => string;
  /** The previous snapshot: its members are kept when no node answers, and it gives rates (evictions). */
  previous?: ClusterSnapshot;
  /** The ACL user the dashboard polls as. */
  user?: string;
}

export function announcedAddr(line: Pick<ClusterNodeLine, 'host' | 'port'>): string {
  return line.host.includes(':') ? `[${line.host}]:${line.port}` : `${line.host}:${line.port}`;
}

const HEALTH_FLAGS = new Set(['fail', 'fail?', 'nofailover', 'noaddr', 'handshake']);

interface NodeSources {
  /** The line of the view the node is placed by (the reference's, or another view's when the reference lacks it). */
  listed: ClusterNodeLine;
  own: OkReport | undefined;
  failure: NodeReport | undefined;
  connect: string;
  inReference: boolean;
  /** A node's master as its own CLUSTER NODES line says, when it answered. */
  ownMaster: (id: string) => string | null | undefined;
}

/**
 * Role, master, slots, epoch and the role flag come from the node's own line when it answers (it knows them best,
 * and they then agree with each other); health flags (fail, fail?) from the view the node is placed by, with every
 * view's reports in failSeenBy / pfailSeenBy.
 */
function buildNode({ listed, own, failure, connect, inReference, ownMaster }: NodeSources): SnapshotNode {
  const ownLine = own ? selfLine(own) : undefined;
  const source = ownLine ?? listed;
  const addr = listed.port === 0 ? '' : announcedAddr(listed);
  const roleFlag = source.role === 'master' ? ['master'] : source.role === 'replica' ? ['slave'] : [];
  const health = [...new Set([...listed.flags, ...(ownLine?.flags ?? [])])].filter((f) => HEALTH_FLAGS.has(f));
  const node: SnapshotNode = {
    id: listed.id,
    addr,
    host: listed.host,
    port: listed.port,
    ...(listed.hostname ? { hostname: listed.hostname } : {}),
    ...(addr && connect !== addr ? { connectAddr: connect } : {}),
    role: source.role,
    masterId: source.masterId,
    flags: [...roleFlag, ...health],
    linkState: listed.myself ? 'connected' : listed.linkState,
    configEpoch: source.configEpoch,
    pingSentMs: listed.pingSentMs,
    pongRecvMs: listed.pongRecvMs,
    slots: source.slots,
    slotCount: slotCount(source.slots),
    migrating: ownLine?.migrating ?? [],
    importing: ownLine?.importing ?? [],
    reachable: own !== undefined,
  };
  if (ownLine && ownLine.role !== listed.role) node.roleInReference = listed.role;
  if (!inReference) node.notInReference = true;
  if (own) {
    node.rttMs = own.rttMs;
    node.info = own.infoSummary ?? summarizeInfo(own.info);
    node.viewSignature = viewSignatureOf(own.nodes);
    if (typeof own.clusterInfo?.cluster_state === 'string') node.clusterState = own.clusterInfo.cluster_state;
    if (own.clusterConfig) node.clusterConfig = own.clusterConfig;
    if (own.latency) node.latency = own.latency;
    if (own.refused?.length) node.refused = own.refused;
    const unknown = unknownMastersIn(own.nodes, ownMaster);
    if (unknown.length) node.unknownMasters = unknown;
  } else if (listed.flags.includes('handshake')) {
    node.error = IN_HANDSHAKE;
  } else {
    node.error =
      failure && !failure.ok ? failure.error : addr ? NOT_POLLED_YET : 'the cluster knows no address for this node';
  }
  if (!own && failure && !failure.ok && failure.outsideNodeNetworks) node.outsideNodeNetworks = true;
  return node;
}

/** Masters by their first slot, each followed by its replicas; then whatever has no master in the list. */
function orderNodes(nodes: SnapshotNode[]): SnapshotNode[] {
  const byAddr = (a: SnapshotNode, b: SnapshotNode) => a.addr.localeCompare(b.addr, 'en', { numeric: true });
  const masters = nodes
    .filter((n) => n.role === 'master')
    .sort(
      (a, b) =>
        (a.slots[0]?.[0] ?? Number.MAX_SAFE_INTEGER) - (b.slots[0]?.[0] ?? Number.MAX_SAFE_INTEGER) || byAddr(a, b),
    );
  const replicasOf = new Map<string, SnapshotNode[]>();
  for (const n of nodes) {
    if (n.role === 'master' || !n.masterId) continue;
    const list = replicasOf.get(n.masterId);
    if (list) list.push(n);
    else replicasOf.set(n.masterId, [n]);
  }
  const ordered: SnapshotNode[] = [];
  for (const master of masters) ordered.push(master, ...(replicasOf.get(master.id) ?? []).sort(byAddr));
  const placed = new Set(ordered.map((n) => n.id));
  return [...ordered, ...nodes.filter((n) => !placed.has(n.id)).sort(byAddr)];
}

/** Keys evicted per second since the previous snapshot, when both have INFO and the node did not restart. */
function evictionRate(node: SnapshotNode, previous: SnapshotNode | undefined, seconds: number): number | undefined {
  const now = node.info;
  const before = previous?.info;
  if (!now || !before || seconds <= 0 || now.uptime_in_seconds < before.uptime_in_seconds) return undefined;
  return Math.max(0, now.evicted_keys - before.evicted_keys) / seconds;
}

/**
 * What most answering masters say their cluster_state is (all answering nodes when no master says), the reference's
 * on a tie; "unknown" when no node may run CLUSTER INFO. One node on a minority side never decides it.
 */
function clusterStatus(reference: OkReport | undefined, nodes: SnapshotNode[]): ClusterStatus {
  const count = (list: SnapshotNode[]) => {
    let ok = 0;
    let fail = 0;
    for (const n of list) {
      if (n.clusterState === 'ok') ok++;
      else if (n.clusterState === 'fail') fail++;
    }
    return { ok, fail };
  };
  const masters = count(nodes.filter((n) => n.reachable && n.role === 'master'));
  const { ok, fail } = masters.ok + masters.fail > 0 ? masters : count(nodes.filter((n) => n.reachable));
  if (ok + fail === 0) return 'unknown';
  if (ok !== fail) return ok > fail ? 'ok' : 'fail';
  const own = reference?.clusterInfo?.cluster_state;
  return own === 'fail' ? 'fail' : 'ok';
}

/** When nothing answers, the last known members stay listed, each unreachable, so nothing seems to leave. */
function lastKnownMembers(input: SnapshotInput): SnapshotNode[] {
  const byAddr = new Map(input.reports.map((r) => [r.addr, r]));
  return (input.previous?.nodes ?? []).map((n) => {
    const failure = byAddr.get(n.connectAddr ?? n.addr);
    // What the nodes said is as old as the last answer: no health flags, reports or rates carried over.
    const {
      outsideNodeNetworks: _outside,
      info: _info,
      latency: _latency,
      rttMs: _rtt,
      viewSignature: _sig,
      clusterState: _state,
      failSeenBy: _fail,
      pfailSeenBy: _pfail,
      evictedPerSec: _evicted,
      unknownMasters: _unknown,
      refused: _refused,
      roleInReference: _role,
      ...rest
    } = n;
    return {
      ...rest,
      flags: rest.flags.filter((f) => f !== 'fail' && f !== 'fail?'),
      reachable: false,
      error: failure && !failure.ok ? failure.error : (n.error ?? 'no reply'),
      ...(failure && !failure.ok && failure.outsideNodeNetworks ? { outsideNodeNetworks: true as const } : {}),
    };
  });
}

/** The line of `report`'s view for `line`'s node with this poll's ping-sent / pong-recv (freshLines, kept per report). */
const freshById = new WeakMap<OkReport, Map<string, ClusterNodeLine>>();
function withTimes(report: OkReport, line: ClusterNodeLine): ClusterNodeLine {
  if (!report.freshLines) return line;
  let byId = freshById.get(report);
  if (!byId) {
    byId = new Map(report.freshLines().map((l) => [l.id, l]));
    freshById.set(report, byId);
  }
  return byId.get(line.id) ?? line;
}

export function buildSnapshot(input: SnapshotInput): ClusterSnapshot {
  const okReports = input.reports.filter((r): r is OkReport => r.ok);
  const reference = chooseReference(okReports);
  const ownReport = new Map<string, OkReport>();
  for (const report of okReports) {
    const self = selfLine(report);
    if (self) ownReport.set(self.id, report);
  }
  const reportByAddr = new Map(input.reports.map((r) => [r.addr, r]));
  const ownMaster = (id: string) => {
    const report = ownReport.get(id);
    return report ? selfLine(report)?.masterId : undefined;
  };
  const { fail, pfail } = failReports(okReports);
  const nodes: SnapshotNode[] = [];
  const memberAddrs = new Set<string>();
  const placed = new Set<string>();
  const place = (line: ClusterNodeLine, inReference: boolean) => {
    if (placed.has(line.id)) return;
    placed.add(line.id);
    const connect = line.port === 0 ? '' : input.connectAddr(announcedAddr(line));
    if (connect && !line.flags.includes('handshake')) memberAddrs.add(connect);
    const own = line.flags.includes('handshake') ? undefined : ownReport.get(line.id);
    const node = buildNode({ listed: line, own, failure: reportByAddr.get(connect), connect, inReference, ownMaster });
    const failBy = fail.get(line.id);
    const pfailBy = pfail.get(line.id);
    if (failBy) node.failSeenBy = failBy;
    if (pfailBy) node.pfailSeenBy = pfailBy;
    nodes.push(node);
  };
  // Nodes are placed by lines with this poll's ping/pong times (a report's `nodes` may share lines with other views).
  for (const line of reference ? (reference.freshLines?.() ?? reference.nodes) : []) place(line, true);
  // Views of this cluster other than the reference: they share a member with it. A node that knows only itself (a
  // fresh or reset node at a seed address) is not one.
  const referenceIds = reference ? idsOf(reference.nodes) : new Set<string>();
  const related = okReports.filter((r) => r !== reference && r.nodes.some((l) => !l.myself && referenceIds.has(l.id)));
  // Claims of nodes the reference does not list (forgotten by most) are kept, marked as such.
  for (const report of related) {
    const self = selfLine(report);
    if (self && !placed.has(self.id)) place(withTimes(report, self), false);
  }
  for (const report of related) {
    for (const line of linesBeyond(report.nodes, reference?.nodes ?? [])) {
      if (!placed.has(line.id)) place(withTimes(report, line), false);
    }
  }
  const previousById = new Map((input.previous?.nodes ?? []).map((n) => [n.id, n]));
  const seconds = input.previous ? (input.collectedAt.getTime() - Date.parse(input.previous.collectedAt)) / 1000 : 0;
  for (const node of nodes) {
    const rate = evictionRate(node, previousById.get(node.id), seconds);
    if (rate !== undefined) node.evictedPerSec = rate;
  }
  const members = okReports.length === 0 && input.previous ? lastKnownMembers(input) : nodes;
  for (const n of members) if (n.addr) memberAddrs.add(n.connectAddr ?? n.addr);
  const unidentified = input.reports
    .filter((r) => !memberAddrs.has(r.addr))
    .map((r) => ({
      addr: r.addr,
      error: r.ok ? 'answers, but is not a member in the view most nodes share' : r.error,
    }));
  const slotKeyCounts = collectSlotKeys(okReports);
  const masters = members.filter((n) => n.role === 'master');
  return {
    clusterId: input.clusterId,
    clusterName: input.clusterName,
    collectedAt: input.collectedAt.toISOString(),
    pollDurationMs: input.pollDurationMs,
    status: okReports.length === 0 ? 'unknown' : clusterStatus(reference, members),
    state: reference?.clusterInfo ?? {},
    referenceNodeId: reference ? (selfLine(reference)?.id ?? null) : null,
    nodes: orderNodes(members),
    unidentified,
    ...(input.user ? { user: input.user } : {}),
    ...(slotKeyCounts.length ? { slotKeyCounts } : {}),
    summary: {
      nodes: members.length,
      masters: masters.length,
      replicas: members.filter((n) => n.role === 'replica').length,
      reachable: members.filter((n) => n.reachable).length,
      slotsCovered: slotCount(normalizeRanges(masters.filter((n) => !n.notInReference).flatMap((n) => n.slots))),
    },
  };
}
