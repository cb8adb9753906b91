import 'server-only';
import { describeNodeError } from '../collect/errors';
import type { ResolvedCluster } from '../config/load';
import { NodeConnection } from '../redis/nodeClient';

/** A node as the engine needs it: where the dashboard connects, and where the other nodes reach it (announced). */
export interface MigrationNode {
  id: string;
  /** host:port the dashboard dials (the NAT map applied). */
  connectAddr: string;
  /** The announced IP/host and port, as CLUSTER NODES prints them: what MIGRATE on another node dials. */
  host: string;
  port: number;
}

/**
 * Three connections per node, for different waits: `control` (SETSLOT, GETKEYSINSLOT, MEMORY USAGE, DUMP: pipelined,
 * short), `migrate` (MIGRATE, which blocks for as long as the target takes), `probe` (PING for the latency guard,
 * never queued behind either).
 */
export type Channel = 'control' | 'migrate' | 'probe';

const TIMEOUT_MS: Record<Channel, number> = { control: 20_000, migrate: 130_000, probe: 5_000 };
/**
 * Control connections per node, used in turn. Valkey 8 holds each SETSLOT's reply until the replicas acknowledge
 * it (~1 ms here), and a held reply holds everything behind it on that connection: several connections let those
 * waits overlap.
 */
const CONTROL_POOL = 4;
/** MIGRATE's own timeout (its argument) is kept below the migrate channel's command timeout. */
export const MAX_MIGRATE_TIMEOUT_MS = 120_000;

export class EngineHalted extends Error {
  override readonly name = 'EngineHalted';
  constructor() {
    super('the migration engine was halted');
  }
}

/** The job's own connections, opened on first use and all closed at the end (or at once by halt()). */
export class MigrationConnections {
  private readonly open = new Map<string, NodeConnection>();
  private readonly nodes = new Map<string, MigrationNode>();
  private halted = false;
  private turn = 0;
  readonly secrets: string[];

  constructor(
    readonly cluster: ResolvedCluster,
    nodes: readonly MigrationNode[],
  ) {
    for (const node of nodes) this.nodes.set(node.id, node);
    this.secrets = cluster.password ? [cluster.password] : [];
  }

  node(id: string): MigrationNode {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`node ${id.slice(0, 8)} is not a member of the cluster`);
    return node;
  }

  get isHalted(): boolean {
    return this.halted;
  }

  private async connection(id: string, channel: Channel): Promise<NodeConnection> {
    if (this.halted) throw new EngineHalted();
    const key = channel === 'control' ? `${id}/control/${this.turn++ % CONTROL_POOL}` : `${id}/${channel}`;
    let connection = this.open.get(key);
    if (!connection) {
      connection = new NodeConnection(this.node(id).connectAddr, this.cluster, TIMEOUT_MS[channel]);
      this.open.set(key, connection);
    }
    if (connection.redis.status !== 'ready') {
      try {
        await connection.ready(this.cluster.connectTimeoutMs);
      } catch (err) {
        throw new Error(`no connection to ${this.node(id).connectAddr} (${describeNodeError(err, this.secrets)})`);
      }
    }
    if (this.halted) throw new EngineHalted();
    return connection;
  }

  /** One command; Buffers in and out (key names are binary-safe). */
  async call(id: string, channel: Channel, args: Array<string | Buffer | number>): Promise<unknown> {
    const connection = await this.connection(id, channel);
    const [command, ...rest] = args;
    return connection.redis.callBuffer(String(command), ...rest.map((a) => (typeof a === 'number' ? String(a) : a)));
  }

  /** Commands sent back to back (nothing else on this connection comes between them); per-command results. */
  async pipeline(
    id: string,
    channel: Channel,
    commands: Array<Array<string | Buffer | number>>,
  ): Promise<Array<{ error?: Error; value?: unknown }>> {
    if (commands.length === 0) return [];
    const connection = await this.connection(id, channel);
    const pipeline = connection.redis.pipeline();
    for (const [command, ...rest] of commands)
      pipeline.callBuffer(String(command), ...rest.map((a) => (typeof a === 'number' ? String(a) : a)));
    const replies = (await pipeline.exec()) ?? [];
    if (this.halted) throw new EngineHalted();
    return replies.map(([error, value]) => (error ? { error } : { value }));
  }

  /** A simulated crash in tests, and the last resort: every connection dropped, nothing more is sent. */
  halt(): void {
    this.halted = true;
    this.close();
  }

  close(): void {
    for (const connection of this.open.values()) connection.close();
    this.open.clear();
  }

  describe(err: unknown): string {
    return describeNodeError(err, this.secrets);
  }
}

/** A reply as text (replies come back as Buffers). */
export function text(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}
