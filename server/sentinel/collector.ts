import 'server-only';
import { summarizeInfo } from '@/lib/cluster/infoSummary';
import type { NodeInfoSummary } from '@/lib/cluster/types';
import { notPolledOutside } from '@/lib/config/nodeNetworks';
import type { SentinelDataNode, SentinelSnapshot } from '@/lib/sentinel/types';
import type { ResolvedSentinel } from '../config/load';
import { dialAllowed, learnSeedNetworks, sentinelDialling } from '../security/nodeNetworks';
import { DeploymentConnection, type Side } from './connection';
import { readHaproxy } from './haproxy';
import { type DataNodeReport, hostOf, infoNumber, listedReplicas, pollDataNode } from './pollDataNode';
import { pollSentinel, type SentinelReport } from './pollSentinel';

/** The master the most reachable sentinels name (ties: the first in address order); null when none names one. */
export function mostNamed(views: readonly { reachable: boolean; masterAddr: string | null }[]): string | null {
  const counts = new Map<string, number>();
  for (const v of views) if (v.reachable && v.masterAddr) counts.set(v.masterAddr, (counts.get(v.masterAddr) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return sorted[0]?.[0] ?? null;
}

/**
 * The master flags a sentinel's report gives the node at `addr`: only when its SENTINEL MASTER names that node (ip:port).
 * Mid-failover GET-MASTER-ADDR-BY-NAME already answers the promoted replica while SENTINEL MASTER still describes the
 * old master (o_down, failover_in_progress): those flags are the old master's, never the promoted one's.
 */
export function masterFlagsOf(report: Pick<SentinelReport, 'view' | 'masterFlags'>, addr: string): string[] {
  return report.view.masterFlagsAddr === addr ? report.masterFlags : [];
}

/**
 * One poll of a Sentinel deployment over one connection per sentinel and per data node. Sentinels, HAProxy and the data
 * nodes known from the last poll are asked at once, each within nodeDeadlineMs; a data node first named this poll is
 * asked as soon as it is named. A hung node costs its own deadline, never the others' answers.
 */
export class SentinelCollector {
  private readonly conns = new Map<string, DeploymentConnection>();
  private readonly lastOkAt = new Map<string, number>();
  /** Each sentinel's run id as last read: a sentinel that does not answer is still found in the others' lists. */
  private readonly runIds = new Map<string, string>();
  /** The last poll's INFO summaries by data node address (the trends' history reads them). */
  lastInfo = new Map<string, NodeInfoSummary>();
  /** Data nodes of the last poll (addr as named), asked first in the next one. */
  private known: string[] = [];
  private readonly secrets: string[];

  constructor(private readonly deployment: ResolvedSentinel) {
    this.secrets = [deployment.password, deployment.sentinelPassword].filter((s): s is string => !!s);
  }

  /** Where the dashboard dials an address a sentinel (or the master's INFO) names: the natMap applied. */
  dialAddr(addr: string): string {
    return this.deployment.natMap[addr] ?? addr;
  }

  connection(addr: string, side: Side): DeploymentConnection {
    const key = `${side} ${addr}`;
    let conn = this.conns.get(key);
    if (!conn) {
      conn = new DeploymentConnection(addr, this.deployment, side);
      this.conns.set(key, conn);
    }
    return conn;
  }

  async collect(): Promise<SentinelSnapshot> {
    const started = Date.now();
    const deadline = this.deployment.nodeDeadlineMs;
    const data = new Map<string, Promise<DataNodeReport>>();
    const dialling = sentinelDialling(this.deployment);
    await learnSeedNetworks(dialling);
    const ask = (addr: string) => {
      if (data.has(addr)) return;
      const dial = this.dialAddr(addr);
      // Never dialled, so never AUTHed: a sentinel (rogue or misconfigured) names where the data password would go.
      if (!dialAllowed(dialling, dial))
        data.set(addr, Promise.resolve({ reachable: false, error: notPolledOutside(dial), outsideNodeNetworks: true }));
      else data.set(addr, pollDataNode(this.connection(dial, 'data'), deadline, this.secrets));
    };
    for (const addr of this.known) ask(addr);
    const haproxy = readHaproxy(this.deployment);
    const reports = await Promise.all(
      this.deployment.sentinels.map((addr) =>
        pollSentinel(
          this.connection(addr, 'sentinel'),
          this.deployment.masterName,
          deadline,
          this.secrets,
          this.lastOkAt.get(addr),
        ).then((report) => {
          if (report.view.masterAddr) ask(report.view.masterAddr);
          // Mid-failover SENTINEL MASTER still describes the old master: it stays in the snapshot until +switch-master.
          if (report.view.masterFlagsAddr) ask(report.view.masterFlagsAddr);
          for (const r of report.replicas) ask(r.addr);
          if (report.view.lastOkAt !== undefined) this.lastOkAt.set(addr, report.view.lastOkAt);
          if (report.runId) this.runIds.set(addr, report.runId);
          return report;
        }),
      ),
    );
    const masterAddr = mostNamed(reports.map((r) => r.view));
    // The replicas the master lists that no sentinel named: asked once the master's INFO is in.
    const masterReport = masterAddr ? await data.get(masterAddr) : undefined;
    for (const r of listedReplicas(masterReport?.info)) ask(r.addr);
    const answers = new Map<string, DataNodeReport>();
    await Promise.all([...data].map(async ([addr, p]) => answers.set(addr, await p)));
    const snapshot = this.assemble(started, reports, masterAddr, answers, await haproxy);
    const infos = new Map<string, NodeInfoSummary>();
    for (const [addr, answer] of answers) {
      if (!answer.info) continue;
      try {
        infos.set(addr, summarizeInfo(answer.info));
      } catch {
        // A summary that cannot be made leaves a gap in the trends, never the poll.
      }
    }
    this.lastInfo = infos;
    this.known = [...(snapshot.master ? [snapshot.master.addr] : []), ...snapshot.replicas.map((r) => r.addr)];
    return snapshot;
  }

  private assemble(
    started: number,
    reports: SentinelReport[],
    masterAddr: string | null,
    answers: Map<string, DataNodeReport>,
    haproxy: SentinelSnapshot['haproxy'],
  ): SentinelSnapshot {
    const reachable = reports.filter((r) => r.view.reachable);
    const masterInfo = masterAddr ? answers.get(masterAddr)?.info : undefined;
    const masterOffset = infoNumber(masterInfo, 'master_repl_offset');
    const listed = new Map(listedReplicas(masterInfo).map((r) => [r.addr, r]));
    const node = (addr: string): SentinelDataNode => {
      const report = answers.get(addr) ?? { reachable: false, error: 'not asked this poll' };
      const info = report.info;
      const dial = this.dialAddr(addr);
      const flags = new Set<string>();
      let priority: number | undefined;
      let known = 0;
      // The sentinels' replica timers, the least favourable over the sentinels (as the failover planner reads them).
      const timers: Partial<Record<'infoRefreshMs' | 'lastOkPingMs' | 'masterLinkDownMs', number>> = {};
      for (const r of reachable) {
        for (const f of masterFlagsOf(r, addr)) flags.add(f);
        if (r.view.masterAddr === addr || r.view.masterFlagsAddr === addr) {
          known++;
          continue;
        }
        const replica = r.replicas.find((x) => x.addr === addr);
        if (!replica) continue;
        known++;
        for (const f of replica.flags) flags.add(f);
        priority ??= replica.priority;
        for (const key of ['infoRefreshMs', 'lastOkPingMs', 'masterLinkDownMs'] as const) {
          const value = replica[key];
          if (value !== undefined) timers[key] = Math.max(timers[key] ?? 0, value);
        }
      }
      flags.delete('master');
      flags.delete('slave');
      const role = info
        ? info.fields.role === 'master'
          ? 'master'
          : info.fields.role === 'slave'
            ? 'replica'
            : null
        : null;
      const out: SentinelDataNode = {
        addr,
        ...(dial !== addr ? { connectAddr: dial } : {}),
        host: hostOf(dial),
        reachable: report.reachable,
        ...(report.error ? { error: report.error } : {}),
        ...(report.outsideNodeNetworks ? { outsideNodeNetworks: true as const } : {}),
        role,
        knownBySentinels: known,
        sentinelFlags: [...flags].sort(),
      };
      if (listed.has(addr)) out.listedByMaster = true;
      if (addr !== masterAddr) Object.assign(out, timers);
      if (role === 'replica' && info) {
        const host = info.fields.master_host;
        const port = info.fields.master_port;
        if (host && port) out.masterAddr = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
        out.linkUp = info.fields.master_link_status === 'up';
        const io = infoNumber(info, 'master_last_io_seconds_ago');
        if (io !== undefined && io >= 0) out.lastIoSeconds = io;
        const offset = infoNumber(info, 'slave_repl_offset');
        if (offset !== undefined) out.offset = offset;
        priority ??= infoNumber(info, 'slave_priority') ?? infoNumber(info, 'replica_priority');
      } else if (role === 'master') {
        const offset = infoNumber(info, 'master_repl_offset');
        if (offset !== undefined) out.offset = offset;
      }
      const entry = listed.get(addr);
      if (entry && masterOffset !== undefined && addr !== masterAddr)
        out.lagBytes = Math.max(0, masterOffset - entry.offset);
      if (entry && addr !== masterAddr) out.lagSeconds = entry.lag;
      if (priority !== undefined && addr !== masterAddr) out.priority = priority;
      if ('minReplicasToWrite' in report) out.minReplicasToWrite = report.minReplicasToWrite ?? null;
      if ('minReplicasMaxLag' in report) out.minReplicasMaxLag = report.minReplicasMaxLag ?? null;
      if (report.configError) out.configError = report.configError;
      if (info) {
        const f = info.fields;
        if (f.redis_version) out.version = f.valkey_version ?? f.redis_version;
        if (f.run_id) out.runId = f.run_id;
        setNumber(out, 'uptimeSeconds', infoNumber(info, 'uptime_in_seconds'));
        setNumber(out, 'usedMemory', infoNumber(info, 'used_memory'));
        setNumber(out, 'maxMemory', infoNumber(info, 'maxmemory'));
        setNumber(out, 'opsPerSec', infoNumber(info, 'instantaneous_ops_per_sec'));
        setNumber(out, 'connectedClients', infoNumber(info, 'connected_clients'));
        setNumber(out, 'connectedReplicas', infoNumber(info, 'connected_slaves'));
        out.keys = Object.values(info.keyspace).reduce((sum, db) => sum + db.keys, 0);
        if (report.latencyMs !== undefined) out.latencyMs = report.latencyMs;
      }
      return out;
    };
    const master = masterAddr ? node(masterAddr) : null;
    // The data nodes named this poll (by a sentinel, or the master's INFO); one asked only because the last poll had it
    // drops out (a replica removed, or SENTINEL RESET). With no sentinel answering, the last poll's nodes stand.
    const namedNow = new Set([
      ...reachable.flatMap((r) => [
        ...(r.view.masterAddr ? [r.view.masterAddr] : []),
        ...(r.view.masterFlagsAddr ? [r.view.masterFlagsAddr] : []),
        ...r.replicas.map((x) => x.addr),
      ]),
      ...listed.keys(),
    ]);
    const replicas = [...answers.keys()]
      .filter((a) => a !== masterAddr && (reachable.length === 0 || namedNow.has(a)))
      .sort()
      .map(node);
    const named = [...new Set(reachable.flatMap((r) => (r.view.masterAddr ? [r.view.masterAddr] : [])))].sort();
    const views = reports.map((r) => {
      // Peers are named as they announce themselves (often not as configured here): matched by run id, else addr.
      const runId = this.runIds.get(r.view.addr);
      const others = reports.flatMap((o) =>
        o.peers.filter((p) => (runId && p.runId ? p.runId === runId : p.addr === r.view.addr)),
      );
      const smallest = Math.min(
        ...others.flatMap((p) => (p.lastOkPingReplyMs === undefined ? [] : [p.lastOkPingReplyMs])),
      );
      return Number.isFinite(smallest) ? { ...r.view, lastOkPingReplyMs: smallest } : r.view;
    });
    const snapshot: SentinelSnapshot = {
      kind: 'sentinel',
      clusterId: this.deployment.id,
      clusterName: this.deployment.name,
      masterName: this.deployment.masterName,
      collectedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      master,
      replicas,
      sentinels: views,
      agreement: { agreed: named.length === 1, addrs: named, reachable: reachable.length, total: reports.length },
    };
    if (haproxy) snapshot.haproxy = matchServers(haproxy, [...(master ? [master] : []), ...replicas]);
    return snapshot;
  }

  close(): void {
    for (const conn of this.conns.values()) conn.close();
    this.conns.clear();
  }
}

function setNumber<K extends keyof SentinelDataNode>(node: SentinelDataNode, key: K, value: number | undefined): void {
  if (value !== undefined) (node as unknown as Record<string, number>)[key] = value;
}

/** Each HAProxy server matched to the data node at its address (as named, or as the dashboard dials it). */
function matchServers(
  haproxy: NonNullable<SentinelSnapshot['haproxy']>,
  nodes: readonly SentinelDataNode[],
): NonNullable<SentinelSnapshot['haproxy']> {
  return {
    ...haproxy,
    servers: haproxy.servers.map((s) => {
      const match = s.addr ? nodes.find((n) => n.addr === s.addr || n.connectAddr === s.addr) : undefined;
      return match ? { ...s, nodeAddr: match.addr } : s;
    }),
  };
}
