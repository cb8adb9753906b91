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
 * Connections per node for different waits: `control` (SETSLOT, GETKEYSINSLOT, MEMORY USAGE, DUMP: pipelined, short),
 * `migrate` (MIGRATE, which blocks for as long as the target takes; one connection per MIGRATE in flight), `probe`
 * (PING for the latency guard, never queued behind either).
 */
export type Channel = 'control' | 'migrate' | 'probe';

const TIMEOUT_MS: Record<Channel, number> = { control: 20_000, migrate: 130_000, probe: 5_000 };
/**
 * Control connections per node, used in turn. Valkey 8 holds each SETSLOT's reply until the replicas acknowledge
 * it (~1 ms here), and a held reply holds everything behind it on that connection: several connections let those
 * waits overlap.
 */
const CONTROL_POOL = 4;
/**
 * MIGRATE connections per node: each MIGRATE in flight goes to an idle one. Redis runs every command a connection has
 * buffered before it serves another client, so MIGRATEs queued on one connection would hold a writer for all of them;
 * on connections of their own, the writer's commands get their turn between two MIGRATEs.
 */
const MIGRATE_POOL = 8;
/** MIGRATE's own timeout (its argument) is kept below the migrate channel's command timeout. */
export const MAX_MIGRATE_TIMEOUT_MS = 120_000;

type Args = Array<string | Buffer | number>;
export interface Reply {
  error?: Error;
  value?: unknown;
}
interface Queued {
  commands: Args[];
  resolve: (replies: Reply[]) => void;
  reject: (err: unknown) => void;
}

export class EngineHalted extends Error {
  override readonly name = 'EngineHalted';
  constructor() {
    super('the migration engine was halted');
  }
}

/** The job's own connections, opened on first use and all closed at the end (or at once by halt()). */
export class MigrationConnections {
  private readonly open = new Map<string, NodeConnection>();
  private readonly readying = new Map<string, Promise<void>>();
  private readonly queued = new Map<string, Queued[]>();
  private readonly nodes = new Map<string, MigrationNode>();
  private halted = false;
  private turn = 0;
  /** Commands sent and not yet answered, per MIGRATE connection (node id/migrate/lane). */
  private readonly outstanding = new Map<string, number>();
  readonly secrets: string[];

  constructor(
    readonly cluster: ResolvedCluster,
    nodes: readonly MigrationNode[],
    /** Called right before commands are written to a node (the engine commits its journal there). */
    private readonly beforeSend?: () => void,
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

  private async connection(id: string, channel: Channel, lane?: number): Promise<NodeConnection> {
    if (this.halted) throw new EngineHalted();
    const key =
      channel === 'control'
        ? `${id}/control/${this.turn++ % CONTROL_POOL}`
        : channel === 'migrate'
          ? `${id}/migrate/${lane ?? 0}`
          : `${id}/${channel}`;
    let connection = this.open.get(key);
    if (!connection) {
      connection = new NodeConnection(this.node(id).connectAddr, this.cluster, TIMEOUT_MS[channel]);
      this.open.set(key, connection);
    }
    if (connection.redis.status !== 'ready') {
      // One wait per connection, however many commands are waiting for it.
      let ready = this.readying.get(key);
      if (!ready) {
        ready = connection.ready(this.cluster.connectTimeoutMs).finally(() => this.readying.delete(key));
        this.readying.set(key, ready);
      }
      try {
        await ready;
      } catch (err) {
        throw new Error(`no connection to ${this.node(id).connectAddr} (${describeNodeError(err, this.secrets)})`);
      }
    }
    if (this.halted) throw new EngineHalted();
    return connection;
  }

  /**
   * One command; Buffers in and out (key names are binary-safe). Commands for the same node and channel issued in
   * the same tick leave in one write (a pipeline), spread over the control pool: one syscall for many slots.
   */
  async call(id: string, channel: Channel, args: Args): Promise<unknown> {
    if (channel === 'probe') {
      // Sent alone, at once: its round trip is the measurement.
      const connection = await this.connection(id, channel);
      const [command, ...rest] = args;
      return connection.redis.callBuffer(connection.nameOf(String(command)), ...rest);
    }
    const [reply] = await this.enqueue(id, channel, [args]);
    if (reply?.error) throw reply.error;
    return reply?.value;
  }

  /** Commands sent back to back (nothing else on this connection comes between them); per-command results. */
  async pipeline(id: string, channel: Channel, commands: Args[]): Promise<Reply[]> {
    if (commands.length === 0) return [];
    return this.enqueue(id, channel, commands);
  }

  private enqueue(id: string, channel: Channel, commands: Args[]): Promise<Reply[]> {
    if (this.halted) return Promise.reject(new EngineHalted());
    return new Promise((resolve, reject) => {
      const key = `${id}/${channel}`;
      let queue = this.queued.get(key);
      if (!queue) {
        queue = [];
        this.queued.set(key, queue);
        // After every promise settled in this turn has issued its commands.
        process.nextTick(() => void this.flush(id, channel, key));
      }
      queue.push({ commands, resolve, reject });
    });
  }

  private async flush(id: string, channel: Channel, key: string): Promise<void> {
    const queue = this.queued.get(key) ?? [];
    this.queued.delete(key);
    if (channel === 'migrate') {
      await Promise.all(queue.map((group) => this.send(id, group)));
      return;
    }
    const lanes = channel === 'control' ? Math.min(CONTROL_POOL, queue.length) : 1;
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        const groups = queue.filter((_, i) => i % lanes === lane);
        try {
          const connection = await this.connection(id, channel);
          this.beforeSend?.();
          const pipeline = connection.redis.pipeline();
          for (const group of groups)
            for (const [command, ...rest] of group.commands)
              pipeline.callBuffer(connection.nameOf(String(command)), ...rest);
          const replies = (await pipeline.exec()) ?? [];
          let at = 0;
          for (const group of groups) {
            const part = replies.slice(at, at + group.commands.length);
            at += group.commands.length;
            if (this.halted) group.reject(new EngineHalted());
            else group.resolve(part.map(([error, value]) => (error ? { error } : { value })));
          }
        } catch (err) {
          for (const group of groups) group.reject(err);
        }
      }),
    );
  }

  /** One group (a MIGRATE with the commands around it) on the node's least busy MIGRATE connection. */
  private async send(id: string, group: Queued): Promise<void> {
    let lane = 0;
    let least = Number.POSITIVE_INFINITY;
    for (let i = 0; i < MIGRATE_POOL && least > 0; i++) {
      const busy = this.outstanding.get(`${id}/migrate/${i}`) ?? 0;
      if (busy < least) {
        least = busy;
        lane = i;
      }
    }
    const key = `${id}/migrate/${lane}`;
    this.outstanding.set(key, least + 1);
    try {
      const connection = await this.connection(id, 'migrate', lane);
      this.beforeSend?.();
      const pipeline = connection.redis.pipeline();
      for (const [command, ...rest] of group.commands) pipeline.callBuffer(connection.nameOf(String(command)), ...rest);
      const replies = (await pipeline.exec()) ?? [];
      if (this.halted) group.reject(new EngineHalted());
      else group.resolve(replies.map(([error, value]) => (error ? { error } : { value })));
    } catch (err) {
      group.reject(err);
    } finally {
      this.outstanding.set(key, (this.outstanding.get(key) ?? 1) - 1);
    }
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
