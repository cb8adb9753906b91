import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { type RedisProcess, restartRedisProcess, startRedisProcess, stopRedisProcess } from './redisProcess';

export const TOTAL_SLOTS = 16384;

export interface DevClusterOptions {
  masters: number;
  replicasPerMaster: number;
  /** Loopback addresses standing for separate hosts, e.g. ['127.0.0.1', '127.0.0.2', '127.0.0.3']. */
  hosts?: string[];
  /** Given ports, in node order (masters first, then replicas); omitted = free ports. */
  ports?: number[];
  password?: string;
  nodeTimeoutMs?: number;
  /** Parent of the temp data dir; default the OS temp dir. */
  baseDir?: string;
  extraConfig?: Record<string, string>;
  /** rename-command lines for every node ("{port}" expanded per node, "" disables); see redisProcess.ts. */
  renameCommands?: Record<string, string>;
  /** How long to wait for every node to report cluster_state:ok. */
  readyTimeoutMs?: number;
  /** The server binary; default redis-server from PATH (valkey-server for the Valkey flavour). */
  serverBin?: string;
}

export type DevRole = 'master' | 'replica' | 'empty';

export interface DevNode {
  id: string;
  host: string;
  port: number;
  addr: string;
  pid: number;
  role: DevRole;
  /** For replicas: the node id of the master it was attached to at formation. */
  masterId?: string;
  process: RedisProcess;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await sleep(everyMs);
  }
  const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
}

export function connectTo(host: string, port: number, password?: string): Redis {
  const client = new Redis({
    host,
    port,
    password,
    protocol: 2,
    disableClientInfo: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: true,
    connectTimeout: 2000,
    commandTimeout: 5000,
    retryStrategy: (times) => (times > 20 ? null : 100),
  });
  client.on('error', () => {});
  return client;
}

function clusterInfoField(info: string, field: string): string | undefined {
  const match = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  return match?.[1]?.trim();
}

export class DevCluster {
  readonly nodes: DevNode[] = [];
  private readonly clients = new Map<string, Redis>();

  constructor(
    readonly dir: string,
    private readonly options: Required<Pick<DevClusterOptions, 'nodeTimeoutMs'>> & DevClusterOptions,
  ) {}

  get password(): string | undefined {
    return this.options.password;
  }

  get masters(): DevNode[] {
    return this.nodes.filter((n) => n.role === 'master');
  }

  get replicas(): DevNode[] {
    return this.nodes.filter((n) => n.role === 'replica');
  }

  /** An admin connection to one node (cached); closed by stop(). */
  client(node: Pick<DevNode, 'host' | 'port'>): Redis {
    const key = `${node.host}:${node.port}`;
    let client = this.clients.get(key);
    if (!client) {
      client = connectTo(node.host, node.port, this.options.password);
      this.clients.set(key, client);
    }
    return client;
  }

  /** A cluster-enabled node that has not joined the cluster. */
  async startEmptyNode(host = this.options.hosts?.[0] ?? '127.0.0.1', port?: number): Promise<DevNode> {
    const proc = await startRedisProcess({
      host,
      port,
      dir: this.dir,
      password: this.options.password,
      nodeTimeoutMs: this.options.nodeTimeoutMs,
      extraConfig: this.options.extraConfig,
      renameCommands: this.options.renameCommands,
      serverBin: this.options.serverBin,
    });
    const id = String(await this.client(proc).call('CLUSTER', 'MYID'));
    const node: DevNode = {
      id,
      host,
      port: proc.port,
      addr: `${host}:${proc.port}`,
      pid: proc.pid,
      role: 'empty',
      process: proc,
    };
    this.nodes.push(node);
    return node;
  }

  /** Send a signal to one node we started (SIGKILL, SIGSTOP, SIGCONT). */
  signal(node: DevNode, signal: NodeJS.Signals): void {
    node.process.child.kill(signal);
  }

  async kill(node: DevNode): Promise<void> {
    this.dropClient(node);
    node.process.child.kill('SIGKILL');
    await node.process.exited;
  }

  /** Bring a killed node back with its own nodes.conf: same id, same port; it rejoins the cluster. */
  async restart(node: DevNode): Promise<void> {
    node.process = await restartRedisProcess(node.process, this.options.password);
    node.pid = node.process.pid;
  }

  /**
   * What an operator does in maintenance: stop the node (SIGTERM, SIGKILL after a grace) and start redis-server again
   * on the same port, dir and nodes.conf. Same id, new process (a new run_id).
   */
  async restartGracefully(node: DevNode): Promise<void> {
    this.dropClient(node);
    await stopRedisProcess(node.process);
    await this.restart(node);
  }

  private dropClient(node: DevNode) {
    const key = `${node.host}:${node.port}`;
    this.clients.get(key)?.disconnect();
    this.clients.delete(key);
  }

  async clusterInfo(node: DevNode): Promise<string> {
    return String(await this.client(node).call('CLUSTER', 'INFO'));
  }

  async clusterNodes(node: DevNode): Promise<string> {
    return String(await this.client(node).call('CLUSTER', 'NODES'));
  }

  /** Every live node says cluster_state:ok and knows `expectedNodes` nodes. */
  async waitUntilOk(
    nodes: DevNode[] = this.liveNodes(),
    timeoutMs = this.options.readyTimeoutMs ?? 30_000,
  ): Promise<void> {
    await waitFor(
      'cluster_state:ok on every node',
      async () => {
        for (const node of nodes) {
          const info = await this.clusterInfo(node);
          if (clusterInfoField(info, 'cluster_state') !== 'ok') return undefined;
        }
        return true;
      },
      timeoutMs,
    );
  }

  liveNodes(): DevNode[] {
    return this.nodes.filter((n) => n.process.child.exitCode === null && n.process.child.signalCode === null);
  }

  async stop(): Promise<void> {
    for (const client of this.clients.values()) client.disconnect();
    this.clients.clear();
    await Promise.all(this.nodes.map((n) => stopRedisProcess(n.process)));
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Even, contiguous slot ranges: master i of m gets [floor(i*16384/m), floor((i+1)*16384/m) - 1]. */
export function evenSlotRanges(masters: number): Array<[number, number]> {
  return Array.from({ length: masters }, (_, i) => [
    Math.floor((i * TOTAL_SLOTS) / masters),
    Math.floor(((i + 1) * TOTAL_SLOTS) / masters) - 1,
  ]);
}

/** Replica j of master i goes on the host after its master's, so no replica shares its master's host when H > 1. */
export function hostFor(hosts: string[], masterIndex: number, replicaIndex?: number): string {
  const h = hosts.length;
  const offset = replicaIndex === undefined ? 0 : 1 + (replicaIndex % Math.max(1, h - 1));
  return hosts[(masterIndex + offset) % h] ?? '127.0.0.1';
}

export async function startDevCluster(opts: DevClusterOptions): Promise<DevCluster> {
  const options = { nodeTimeoutMs: 5000, ...opts };
  const hosts = options.hosts?.length ? options.hosts : ['127.0.0.1'];
  const dir = await mkdtemp(path.join(options.baseDir ?? os.tmpdir(), 'devcluster-'));
  const cluster = new DevCluster(dir, options);
  try {
    await formCluster(cluster, options, hosts);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

async function formCluster(cluster: DevCluster, options: DevClusterOptions, hosts: string[]) {
  const plan: Array<{ host: string; role: DevRole; masterIndex: number }> = [];
  for (let i = 0; i < options.masters; i++) plan.push({ host: hostFor(hosts, i), role: 'master', masterIndex: i });
  for (let i = 0; i < options.masters; i++) {
    for (let r = 0; r < options.replicasPerMaster; r++)
      plan.push({ host: hostFor(hosts, i, r), role: 'replica', masterIndex: i });
  }
  const started = await Promise.all(plan.map((p, i) => cluster.startEmptyNode(p.host, options.ports?.[i])));
  cluster.nodes.splice(0, cluster.nodes.length, ...started);
  const masters = started.slice(0, options.masters);
  const ranges = evenSlotRanges(options.masters);

  await Promise.all(
    masters.map(async (node, i) => {
      const client = cluster.client(node);
      const range = ranges[i];
      if (!range) return;
      node.role = 'master';
      // Distinct config epochs up front, as redis-cli does, so no epoch collision has to be resolved later.
      await client.call('CLUSTER', 'SET-CONFIG-EPOCH', String(i + 1));
      await client.call('CLUSTER', 'ADDSLOTSRANGE', String(range[0]), String(range[1]));
    }),
  );
  const [first, ...rest] = started;
  if (!first) throw new Error('a cluster needs at least one node');
  await Promise.all(rest.map((node) => cluster.client(node).call('CLUSTER', 'MEET', first.host, String(first.port))));
  await waitFor(
    'every node to know every other node',
    async () => {
      for (const node of started) {
        const text = await cluster.clusterNodes(node);
        const lines = text.trim().split('\n');
        if (lines.length !== started.length || /handshake|noaddr/.test(text)) return undefined;
      }
      return true;
    },
    options.readyTimeoutMs ?? 30_000,
  );
  await Promise.all(
    started.slice(options.masters).map(async (node, k) => {
      const master = masters[plan[options.masters + k]?.masterIndex ?? 0];
      if (!master) return;
      node.role = 'replica';
      node.masterId = master.id;
      await cluster.client(node).call('CLUSTER', 'REPLICATE', master.id);
    }),
  );
  await cluster.waitUntilOk(started);
  await waitFor(
    'every node to agree on roles and replicas to sync',
    async () => {
      for (const node of started) {
        const text = await cluster.clusterNodes(node);
        for (const replica of cluster.replicas) {
          const line = text.split('\n').find((l) => l.startsWith(replica.id));
          if (!line || line.split(' ')[3] !== replica.masterId) return undefined;
        }
      }
      for (const replica of cluster.replicas) {
        const info = String(await cluster.client(replica).call('INFO', 'replication'));
        if (!/master_link_status:up/.test(info)) return undefined;
      }
      return true;
    },
    options.readyTimeoutMs ?? 30_000,
  );
}
