import { normalizeRanges, slotCount } from '../redis/slots';
import { summarizeInfo } from './infoSummary';
import type { ClusterNodeLine, ClusterSnapshot, NodeReport, SnapshotNode } from './types';
import { viewSignature } from './viewSignature';

/** The error of a member the dashboard learned of in this poll and will ask in the next one. */
export const NOT_POLLED_YET = 'not polled yet';

export interface SnapshotInput {
  clusterId: string;
  clusterName: string;
  collectedAt: Date;
  pollDurationMs: number;
  /** One report per polled address. */
  reports: NodeReport[];
  /** Announced "host:port" -> the address the dashboard connects to (the NAT map). */
  connectAddr: (announced: string) => string;
}

type OkReport = Extract<NodeReport, { ok: true }>;

export function announcedAddr(line: Pick<ClusterNodeLine, 'host' | 'port'>): string {
  return line.host.includes(':') ? `[${line.host}]:${line.port}` : `${line.host}:${line.port}`;
}

function selfLine(report: OkReport): ClusterNodeLine | undefined {
  return report.nodes.find((n) => n.myself);
}

const isPending = (line: ClusterNodeLine) => line.flags.includes('handshake');

/**
 * The view most reachable nodes agree with: the one listing the most of the reachable nodes' own ids, then the
 * highest current epoch, then the lowest node id. A node that was forgotten (and sees only itself) never wins.
 */
export function chooseReference(reports: OkReport[]): OkReport | undefined {
  const selfIds = new Set(reports.map((r) => selfLine(r)?.id).filter((id): id is string => id !== undefined));
  const score = (r: OkReport) => r.nodes.filter((n) => selfIds.has(n.id)).length;
  const epoch = (r: OkReport) => Number(r.clusterInfo.cluster_current_epoch ?? 0);
  return [...reports].sort(
    (a, b) =>
      score(b) - score(a) || epoch(b) - epoch(a) || (selfLine(a)?.id ?? '').localeCompare(selfLine(b)?.id ?? ''),
  )[0];
}

function buildNode(
  refLine: ClusterNodeLine,
  own: OkReport | undefined,
  failure: NodeReport | undefined,
  connect: string,
) {
  const ownLine = own ? selfLine(own) : undefined;
  const source = ownLine ?? refLine;
  const addr = refLine.port === 0 ? '' : announcedAddr(refLine);
  const node: SnapshotNode = {
    id: refLine.id,
    addr,
    host: refLine.host,
    port: refLine.port,
    ...(refLine.hostname ? { hostname: refLine.hostname } : {}),
    ...(addr && connect !== addr ? { connectAddr: connect } : {}),
    role: source.role,
    masterId: source.masterId,
    flags: refLine.flags.filter((f) => f !== 'myself'),
    linkState: refLine.myself ? 'connected' : refLine.linkState,
    configEpoch: source.configEpoch,
    pingSentMs: refLine.pingSentMs,
    pongRecvMs: refLine.pongRecvMs,
    slots: source.slots,
    slotCount: slotCount(source.slots),
    migrating: ownLine?.migrating ?? [],
    importing: ownLine?.importing ?? [],
    reachable: own !== undefined,
  };
  if (own) {
    node.rttMs = own.rttMs;
    node.info = summarizeInfo(own.info);
    node.viewSignature = viewSignature(own.nodes);
    if (own.clusterConfig) node.clusterConfig = own.clusterConfig;
    if (own.latency) node.latency = own.latency;
  } else {
    node.error =
      failure && !failure.ok ? failure.error : addr ? NOT_POLLED_YET : 'the cluster knows no address for this node';
  }
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
  const ordered: SnapshotNode[] = [];
  for (const master of masters) {
    ordered.push(master, ...nodes.filter((n) => n.role !== 'master' && n.masterId === master.id).sort(byAddr));
  }
  const placed = new Set(ordered.map((n) => n.id));
  return [...ordered, ...nodes.filter((n) => !placed.has(n.id)).sort(byAddr)];
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
  const nodes: SnapshotNode[] = [];
  const memberAddrs = new Set<string>();
  for (const line of reference?.nodes ?? []) {
    if (isPending(line) || !reference) continue;
    const connect = line.port === 0 ? '' : input.connectAddr(announcedAddr(line));
    if (connect) memberAddrs.add(connect);
    nodes.push(buildNode(line, ownReport.get(line.id), reportByAddr.get(connect), connect));
  }
  const unidentified = input.reports
    .filter((r) => !memberAddrs.has(r.addr))
    .map((r) => ({
      addr: r.addr,
      error: r.ok ? 'answers, but is not a member in the view most nodes share' : r.error,
    }));
  const masters = nodes.filter((n) => n.role === 'master');
  const state = reference?.clusterInfo ?? {};
  const clusterState = state.cluster_state;
  return {
    clusterId: input.clusterId,
    clusterName: input.clusterName,
    collectedAt: input.collectedAt.toISOString(),
    pollDurationMs: input.pollDurationMs,
    status: clusterState === 'ok' ? 'ok' : clusterState === 'fail' ? 'fail' : 'unknown',
    state,
    referenceNodeId: reference ? (selfLine(reference)?.id ?? null) : null,
    nodes: orderNodes(nodes),
    unidentified,
    summary: {
      nodes: nodes.length,
      masters: masters.length,
      replicas: nodes.filter((n) => n.role === 'replica').length,
      reachable: nodes.filter((n) => n.reachable).length,
      slotsCovered: slotCount(
        normalizeRanges((reference?.nodes ?? []).filter((l) => l.role === 'master').flatMap((l) => l.slots)),
      ),
    },
  };
}
