import 'server-only';
import type { SnapshotNode } from '@/lib/cluster/types';
import type { NodeConfigRead } from '@/lib/nodeConfig/diff';
import { CommandDisabled, isUnknownCommand } from '@/lib/redis/commandRenames';
import { describeNodeError } from '../collect/errors';
import type { NodeConnection } from '../redis/nodeClient';

/** CONFIG GET's flat [name, value, ...] reply as a record. */
export function configPairs(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(reply)) throw new Error('CONFIG GET: reply of an unexpected type');
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  return out;
}

/** Why CONFIG failed on a node, naming a disabled or unknown CONFIG (the node is fine; CONFIG is not usable there). */
export function configFailure(err: unknown, secrets: readonly string[]): Pick<NodeConfigRead, 'error' | 'command'> {
  if (err instanceof CommandDisabled) return { error: err.message, command: 'disabled' };
  const message = describeNodeError(err, secrets);
  if (isUnknownCommand(message))
    return {
      error: `CONFIG unknown on this node (renamed or disabled there, not named in commandRenames): ${message}`,
      command: 'unknown',
    };
  return { error: message };
}

export type ConfigRoleNode = SnapshotNode & { role: 'master' | 'replica' };

/** Masters and replicas with an address: the nodes "every node" means. */
export function configNodes(nodes: readonly SnapshotNode[]): ConfigRoleNode[] {
  return nodes.filter(
    (n): n is ConfigRoleNode =>
      (n.role === 'master' || n.role === 'replica') && n.addr !== '' && !n.flags.includes('handshake'),
  );
}

/** CONFIG GET `pattern` on one node within `timeoutMs`: the values, or why not. */
export async function readNodeConfig(
  node: ConfigRoleNode,
  connection: NodeConnection | undefined,
  pattern: string[],
  timeoutMs: number,
  secrets: readonly string[],
): Promise<NodeConfigRead> {
  const base = { id: node.id, addr: node.addr, role: node.role };
  if (!node.reachable) return { ...base, error: `unreachable: ${node.error ?? 'no reply'}` };
  if (!connection) return { ...base, error: 'outside nodeNetworks: not polled' };
  let timer: NodeJS.Timeout | undefined;
  try {
    await connection.ready(timeoutMs);
    const reply = await Promise.race([
      connection.call('CONFIG', 'GET', ...pattern),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no reply within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ...base, values: configPairs(reply) };
  } catch (err) {
    return { ...base, ...configFailure(err, secrets) };
  } finally {
    clearTimeout(timer);
  }
}
