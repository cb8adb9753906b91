// A Sentinel deployment on loopback hosts for tests and the demo: the seed's layout (master + replicas, sentinels
// that vote, HAProxy routing to whichever node says role:master), Redis or Valkey flavour.
import { rm } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import type { SentinelConfig } from '../../lib/config/schema';
import { connectTo } from '../devcluster/cluster';
import { type RedisProcess, restartRedisProcess, stopRedisProcess } from '../devcluster/redisProcess';
import type { HaproxyGroupProcess } from './haproxy';
import { connectSentinel, restartSentinelProcess, type SentinelProcess } from './sentinelProcess';
import { isRunning, stopTracked } from './tracked';

export interface SentinelGroupHaproxyOptions {
  /** Default: the master's host. */
  host?: string;
  /** The backend's name; default "redis". */
  backend?: string;
  /** check inter <ms> fall <n> rise <n>; defaults 500, 2, 2. */
  checkInterMs?: number;
  fall?: number;
  rise?: number;
  /** The haproxy binary; default haproxy from PATH. */
  bin?: string;
  /** A comment on the tcp-check's steps (shown in last_chk; a comma there makes HAProxy quote the CSV field). */
  checkComment?: string;
}

export interface SentinelGroupOptions {
  /** Loopback addresses standing for hosts; default 127.0.0.1, 127.0.0.2, 127.0.0.3. */
  hosts?: string[];
  /** Replicas (0..n); default 2. Replica i goes on hosts[(i + 1) % hosts.length]. */
  replicas?: number;
  /** Sentinels (1..n); default 3. Sentinel i goes on hosts[i % hosts.length]. */
  sentinels?: number;
  /** Explicit hosts, overriding the layout above. */
  masterHost?: string;
  replicaHosts?: string[];
  sentinelHosts?: string[];
  /** HAProxy in front (default on, on the master's host); false = none. */
  haproxy?: boolean | SentinelGroupHaproxyOptions;
  /** Default "mymaster". */
  masterName?: string;
  /** Default 2, capped at the number of sentinels. */
  quorum?: number;
  /** Defaults 2000 and 10000. */
  downAfterMs?: number;
  failoverTimeoutMs?: number;
  /** The data nodes' requirepass/masterauth (and the sentinels' auth-pass, HAProxy's check AUTH). */
  password?: string;
  /** The sentinels' own requirepass. */
  sentinelPassword?: string;
  /** Data-node server binary (valkey-server for Valkey: its sentinels then run `<serverBin> <conf> --sentinel`). */
  serverBin?: string;
  /** The Redis flavour's sentinel binary; default redis-sentinel (ignored when serverBin is given). */
  sentinelBin?: string;
  /** Extra redis.conf lines for the data nodes. */
  extraConfig?: Record<string, string>;
  /** Parent of the temp dir; default the OS temp dir. */
  baseDir?: string;
  /** For configEntry(); defaults "sentinel-demo" and "Sentinel demo". */
  id?: string;
  name?: string;
  /** How long to wait for replication, sentinel discovery and HAProxy's checks; default 30 s. */
  readyTimeoutMs?: number;
}

/** A data node: n1 is the master at start, n2… the replicas (the names of HAProxy's server lines). */
export interface GroupDataNode {
  name: string;
  host: string;
  port: number;
  addr: string;
  /** Its role when the group started (failovers change the real one: ask the node or currentMaster()). */
  initialRole: 'master' | 'replica';
  readonly pid: number;
  readonly dir: string;
  process: RedisProcess;
}

/** The dashboard config entry for a group (the input of lib/config/schema.ts SentinelConfig). */
export type SentinelConfigEntry = z.input<typeof SentinelConfig>;

export function dataNode(
  name: string,
  initialRole: GroupDataNode['initialRole'],
  process: RedisProcess,
): GroupDataNode {
  return {
    name,
    host: process.host,
    port: process.port,
    addr: `${process.host}:${process.port}`,
    initialRole,
    process,
    get pid() {
      return this.process.pid;
    },
    get dir() {
      return this.process.dir;
    },
  };
}

export class SentinelGroup {
  readonly dataNodes: GroupDataNode[] = [];
  readonly sentinels: SentinelProcess[] = [];
  haproxy: HaproxyGroupProcess | null = null;
  private readonly clients = new Map<string, Redis>();

  constructor(
    readonly dir: string,
    readonly masterName: string,
    readonly options: SentinelGroupOptions,
  ) {}

  get password(): string | undefined {
    return this.options.password;
  }
  get sentinelPassword(): string | undefined {
    return this.options.sentinelPassword;
  }
  /** The node that was the master at start (n1). */
  get master(): GroupDataNode {
    const first = this.dataNodes[0];
    if (!first) throw new Error('the group has no data node');
    return first;
  }
  get replicas(): GroupDataNode[] {
    return this.dataNodes.slice(1);
  }
  /** "host:port" of every sentinel, in order. */
  get sentinelAddrs(): string[] {
    return this.sentinels.map((s) => s.addr);
  }

  node(addr: string): GroupDataNode {
    const node = this.dataNodes.find((n) => n.addr === addr);
    if (!node) throw new Error(`no data node ${addr} in the group`);
    return node;
  }

  /** An admin connection to a data node (cached; closed by stop()). */
  client(addr: string): Redis {
    let client = this.clients.get(addr);
    if (!client) {
      const node = this.node(addr);
      client = connectTo(node.host, node.port, this.options.password);
      this.clients.set(addr, client);
    }
    return client;
  }

  /** A new connection to sentinel i; the caller disconnects it. */
  sentinelClient(i: number): Redis {
    const s = this.sentinel(i);
    return connectSentinel(s.host, s.port, this.options.sentinelPassword);
  }

  private sentinel(i: number): SentinelProcess {
    const s = this.sentinels[i];
    if (!s) throw new Error(`no sentinel ${i} in the group`);
    return s;
  }

  /** What each sentinel answers to GET-MASTER-ADDR-BY-NAME ("host:port"), null where it does not answer. */
  async masterBySentinel(): Promise<Array<string | null>> {
    return Promise.all(this.sentinels.map((_, i) => this.masterNamedBy(i)));
  }

  /** The master as the first answering sentinel names it. */
  async currentMaster(): Promise<string> {
    for (let i = 0; i < this.sentinels.length; i++) {
      const addr = await this.masterNamedBy(i);
      if (addr) return addr;
    }
    throw new Error('no sentinel answered GET-MASTER-ADDR-BY-NAME');
  }

  private async masterNamedBy(i: number): Promise<string | null> {
    if (!isRunning(this.sentinel(i))) return null;
    const client = this.sentinelClient(i);
    try {
      await client.connect();
      const reply = (await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.masterName)) as string[] | null;
      return reply ? `${reply[0]}:${reply[1]}` : null;
    } catch {
      return null;
    } finally {
      client.disconnect();
    }
  }

  /** SIGSTOP a data node or sentinel (by "host:port"): alive but silent, as a hung process. */
  pause(addr: string): void {
    this.processAt(addr).child.kill('SIGSTOP');
  }

  resume(addr: string): void {
    this.processAt(addr).child.kill('SIGCONT');
  }

  private processAt(addr: string): RedisProcess | SentinelProcess {
    const s = this.sentinels.find((p) => p.addr === addr);
    return s ?? this.node(addr).process;
  }

  /** Stop one data node or sentinel (SIGTERM, SIGKILL after a grace), by "host:port". */
  async stopNode(addr: string): Promise<void> {
    const s = this.sentinels.findIndex((p) => p.addr === addr);
    if (s >= 0) return this.stopSentinel(s);
    this.clients.get(addr)?.disconnect();
    this.clients.delete(addr);
    await stopRedisProcess(this.node(addr).process);
  }

  /** Start a stopped data node again from its redis.conf (same port and dir). */
  async startNode(addr: string): Promise<void> {
    const node = this.node(addr);
    node.process = await restartRedisProcess(node.process, this.options.password);
  }

  async stopSentinel(i: number): Promise<void> {
    await stopTracked(this.sentinel(i));
  }

  /** Start a stopped sentinel again from the conf it rewrote (same port, same id). */
  async startSentinel(i: number): Promise<void> {
    this.sentinels[i] = await restartSentinelProcess(this.sentinel(i), this.options.sentinelPassword);
  }

  /**
   * The dashboard's config entry for this group (kind "sentinel"); `extra` overrides or adds fields (passwordEnv or
   * sentinelPasswordEnv there drops the inline secret).
   */
  configEntry(extra: Partial<SentinelConfigEntry> = {}): SentinelConfigEntry {
    const entry: SentinelConfigEntry = {
      kind: 'sentinel',
      id: this.options.id ?? 'sentinel-demo',
      name: this.options.name ?? 'Sentinel demo',
      sentinels: this.sentinelAddrs,
      masterName: this.masterName,
    };
    // A secret given by its env name (extra.passwordEnv / sentinelPasswordEnv) replaces the inline one.
    if (this.options.password && !extra.passwordEnv) entry.password = this.options.password;
    if (this.options.sentinelPassword && !extra.sentinelPasswordEnv)
      entry.sentinelPassword = this.options.sentinelPassword;
    if (this.haproxy) entry.haproxy = { statsSocket: this.haproxy.statsSocket, backend: this.haproxy.backend };
    return { ...entry, ...extra };
  }

  /** Stop everything we started, by PID, and remove the temp dir. */
  async stop(): Promise<void> {
    for (const client of this.clients.values()) client.disconnect();
    this.clients.clear();
    await Promise.all([
      this.haproxy?.stop(),
      ...this.sentinels.map((s) => stopTracked(s)),
      ...this.dataNodes.map((n) => stopRedisProcess(n.process)),
    ]);
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Every process of the group, for "nothing left behind" checks. */
  pids(): number[] {
    return [
      ...this.dataNodes.map((n) => n.pid),
      ...this.sentinels.map((s) => s.pid),
      ...(this.haproxy ? [this.haproxy.pid] : []),
    ];
  }
}
