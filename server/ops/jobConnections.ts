import 'server-only';
import { type ClusterNodeLine, parseClusterNodes } from '@/lib/redis/clusterNodes';
import { parseInfo } from '@/lib/redis/info';
import type { ClusterPoller } from '../collect/poller';
import { NodeConnection } from '../redis/nodeClient';
import { dialAllowed } from '../security/nodeNetworks';

/**
 * An operation's own connections, one per node, for its duration: watching nodes every few ms must not queue behind
 * (or in front of) the poller's pipelines, and a mutation goes to the exact node it names.
 */
export class JobConnections {
  private readonly connections = new Map<string, NodeConnection>();

  constructor(private readonly poller: ClusterPoller) {}

  /** Undefined for a node without an address, or outside nodeNetworks (nothing is sent there). */
  get(nodeId: string): NodeConnection | undefined {
    let connection = this.connections.get(nodeId);
    if (!connection) {
      const node = this.poller.latest?.nodes.find((n) => n.id === nodeId);
      if (!node?.addr) return undefined;
      const addr = node.connectAddr ?? node.addr;
      if (!dialAllowed(this.poller.cluster, addr)) return undefined;
      connection = new NodeConnection(addr, this.poller.cluster, 1000);
      this.connections.set(nodeId, connection);
    }
    return connection;
  }

  /** A read-only command on a node, or undefined when it does not answer within a second. */
  async ask(nodeId: string, command: string, ...args: string[]): Promise<unknown> {
    const connection = this.get(nodeId);
    if (!connection) return undefined;
    try {
      await connection.ready(1000);
      return await connection.call(command, ...args);
    } catch {
      return undefined;
    }
  }

  async view(nodeId: string): Promise<ClusterNodeLine[] | undefined> {
    const text = await this.ask(nodeId, 'CLUSTER', 'NODES');
    try {
      return typeof text === 'string' ? parseClusterNodes(text) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Each node's own view, keyed by id; a node that does not answer is left out. */
  async views(nodeIds: string[]): Promise<Map<string, ClusterNodeLine[]>> {
    const replies = await Promise.all(nodeIds.map(async (id) => [id, await this.view(id)] as const));
    return new Map(replies.filter((r): r is [string, ClusterNodeLine[]] => r[1] !== undefined));
  }

  /** Why the last command to a node got no answer, as the connection saw it. */
  errorOf(nodeId: string): string | undefined {
    const connection = this.connections.get(nodeId);
    if (!connection) return undefined;
    return connection.lastError?.message ?? (connection.redis.status === 'ready' ? undefined : connection.redis.status);
  }

  async replOffset(nodeId: string, field: 'master_repl_offset' | 'slave_repl_offset'): Promise<number | undefined> {
    const text = await this.ask(nodeId, 'INFO', 'replication');
    return typeof text === 'string' ? Number(parseInfo(text).fields[field]) : undefined;
  }

  close(): void {
    for (const c of this.connections.values()) c.close();
    this.connections.clear();
  }
}
