// startSimCluster: a simulated Redis Cluster of N nodes served by ONE child process (its CPU apart from the caller's),
// for polls at sizes this machine cannot run as real redis-servers (300, 1,000 nodes). The returned object stands in
// for a DevCluster where tests only need nodes[].addr and password (scripts/test/helpers.ts resolvedClusterFor).
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { connectTo } from '../devcluster/cluster';
import type {
  FlagOptions,
  SimClusterOptions,
  SimEnvelope,
  SimFlag,
  SimNodeInfo,
  SimReply,
  SimRequest,
  SimResult,
  SimStats,
} from './protocol';

export type { FlagOptions, SimClusterOptions, SimFlag, SimNodeInfo, SimStats } from './protocol';
export { DEFAULT_SIM_HOSTS } from './topology';

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface SimCluster {
  /** Masters first (in slot order), then replicas; updated in place after every change (roles after a promotion). */
  readonly nodes: SimNodeInfo[];
  readonly password: string | undefined;
  /** The simulator process. */
  readonly pid: number;
  readonly masters: SimNodeInfo[];
  readonly replicas: SimNodeInfo[];
  /**
   * What the other nodes say of `nodeId`: 'pfail' (fail? in their CLUSTER NODES, slots counted pfail), 'fail' (fail,
   * cluster_state:fail while its slots are not served; with promote, a replica takes over at a new epoch) or 'ok'.
   */
  flag(nodeId: string, flag: SimFlag, options?: FlagOptions): Promise<void>;
  /** Accepts connections and reads commands but answers nothing until hang(nodeId, false) (then answers in order). */
  hang(nodeId: string, on: boolean): Promise<void>;
  /** Closes the node's listener and connections (ECONNREFUSED), or listens again on the same address. */
  down(nodeId: string, on: boolean): Promise<void>;
  /** MIGRATING on the source's own CLUSTER NODES line, IMPORTING on the target's. */
  openSlot(slot: number, fromId: string, toId: string): Promise<void>;
  closeSlot(slot: number): Promise<void>;
  /** An admin connection to one node (cached, authenticated), as DevCluster.client; closed by stop(). */
  client(node: Pick<SimNodeInfo, 'host' | 'port'>): Redis;
  /** CLUSTER NODES / CLUSTER INFO as that node answers them, as on a DevCluster. */
  clusterNodes(node: Pick<SimNodeInfo, 'host' | 'port'>): Promise<string>;
  clusterInfo(node: Pick<SimNodeInfo, 'host' | 'port'>): Promise<string>;
  /** Reads the nodes' roles and states again into `nodes` (after a promotion that a spreadMs window delayed). */
  refresh(): Promise<SimNodeInfo[]>;
  /** The simulator process's user + system CPU so far, in ms. */
  cpuUsage(): Promise<number>;
  stats(): Promise<SimStats>;
  stop(): Promise<void>;
}

class SimClusterProcess implements SimCluster {
  readonly nodes: SimNodeInfo[] = [];
  private nextRequest = 1;
  private readonly waiting = new Map<number, { resolve: (r: SimResult) => void; reject: (e: Error) => void }>();
  private readonly exited: Promise<void>;
  private exitCode: string | undefined;

  constructor(
    private readonly child: ChildProcess,
    readonly password: string | undefined,
  ) {
    child.on('message', (reply: SimReply) => {
      const waiter = this.waiting.get(reply.requestId);
      this.waiting.delete(reply.requestId);
      if (!waiter) return;
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new Error(`simulator: ${reply.error}`));
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitCode = signal ?? String(code);
        for (const waiter of this.waiting.values()) waiter.reject(new Error(`the simulator exited (${this.exitCode})`));
        this.waiting.clear();
        resolve();
      }),
    );
  }

  private readonly clients = new Map<string, Redis>();

  client(node: Pick<SimNodeInfo, 'host' | 'port'>): Redis {
    const key = `${node.host}:${node.port}`;
    let client = this.clients.get(key);
    if (!client) {
      client = connectTo(node.host, node.port, this.password);
      this.clients.set(key, client);
    }
    return client;
  }

  async clusterNodes(node: Pick<SimNodeInfo, 'host' | 'port'>): Promise<string> {
    return String(await this.client(node).call('CLUSTER', 'NODES'));
  }

  async clusterInfo(node: Pick<SimNodeInfo, 'host' | 'port'>): Promise<string> {
    return String(await this.client(node).call('CLUSTER', 'INFO'));
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get masters(): SimNodeInfo[] {
    return this.nodes.filter((n) => n.role === 'master');
  }

  get replicas(): SimNodeInfo[] {
    return this.nodes.filter((n) => n.role === 'replica');
  }

  request(request: SimRequest): Promise<SimResult> {
    if (this.exitCode !== undefined) return Promise.reject(new Error(`the simulator exited (${this.exitCode})`));
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.waiting.set(requestId, { resolve, reject });
      const envelope: SimEnvelope = { requestId, request };
      this.child.send(envelope);
    });
  }

  async change(request: SimRequest): Promise<void> {
    const result = await this.request(request);
    if (result.op !== 'nodes') throw new Error(`simulator: unexpected reply ${result.op}`);
    const byId = new Map(this.nodes.map((n) => [n.id, n]));
    const next = result.nodes.map((fresh) => {
      const known = byId.get(fresh.id);
      if (!known) return fresh;
      delete known.masterId;
      return Object.assign(known, fresh);
    });
    this.nodes.splice(0, this.nodes.length, ...next);
  }

  flag(nodeId: string, flag: SimFlag, options: FlagOptions = {}): Promise<void> {
    return this.change({ op: 'flag', nodeId, flag, options });
  }

  hang(nodeId: string, on: boolean): Promise<void> {
    return this.change({ op: 'hang', nodeId, on });
  }

  down(nodeId: string, on: boolean): Promise<void> {
    return this.change({ op: 'down', nodeId, on });
  }

  openSlot(slot: number, fromId: string, toId: string): Promise<void> {
    return this.change({ op: 'openSlot', slot, fromId, toId });
  }

  closeSlot(slot: number): Promise<void> {
    return this.change({ op: 'closeSlot', slot });
  }

  async refresh(): Promise<SimNodeInfo[]> {
    await this.change({ op: 'nodes' });
    return this.nodes;
  }

  async cpuUsage(): Promise<number> {
    const result = await this.request({ op: 'cpu' });
    if (result.op !== 'cpu') throw new Error(`simulator: unexpected reply ${result.op}`);
    return result.userMs + result.systemMs;
  }

  async stats(): Promise<SimStats> {
    const result = await this.request({ op: 'stats' });
    if (result.op !== 'stats') throw new Error(`simulator: unexpected reply ${result.op}`);
    return result.stats;
  }

  async stop(): Promise<void> {
    for (const client of this.clients.values()) client.disconnect();
    this.clients.clear();
    if (this.exitCode !== undefined) return;
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Starts the simulator process and its nodes; resolves once every node listens. */
export async function startSimCluster(options: SimClusterOptions): Promise<SimCluster> {
  if (!Number.isInteger(options.masters) || options.masters < 1 || options.masters > 16384)
    throw new Error(`masters must be 1..16384, got ${options.masters}`);
  if (!Number.isInteger(options.replicasPerMaster) || options.replicasPerMaster < 0)
    throw new Error(`replicasPerMaster must be 0 or more, got ${options.replicasPerMaster}`);
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const sim = new SimClusterProcess(child, options.password);
  try {
    await sim.change({ op: 'start', options });
  } catch (err) {
    await sim.stop();
    throw err;
  }
  return sim;
}
