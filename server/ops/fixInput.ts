import 'server-only';
import { type FixInput, type FixInputNode, slotsToInspect } from '@/lib/plan/fix';
import { type ClusterNodeLine, parseClusterNodes } from '@/lib/redis/clusterNodes';
import { type MigrationConnections, type MigrationNode, text } from '../migrate/connections';
import { MigrationError } from '../migrate/errors';

/** COUNTKEYSINSLOT commands per pipeline. */
const CHUNK = 4000;

async function viewOf(conns: MigrationConnections, id: string): Promise<ClusterNodeLine[] | undefined> {
  try {
    return parseClusterNodes(text(await conns.call(id, 'control', ['CLUSTER', 'NODES'])));
  } catch {
    return undefined;
  }
}

/**
 * What planFix needs, read the way redis-cli reads it: every node's own CLUSTER NODES line (its slots and markers),
 * then COUNTKEYSINSLOT on every usable master for the slots in question.
 *
 * `nodes[0]` plays the node redis-cli is pointed at: the others are put in the order it lists them (redis-cli's order,
 * which breaks ties between masters with as many keys), and a node it flags fail or noaddr counts as unreachable, as
 * redis-cli drops such a node. A node that does not answer is unreachable; its role comes from the others' views.
 */
export async function readFixInput(
  conns: MigrationConnections,
  nodes: readonly MigrationNode[],
  /** Count keys in these slots only (the fix job re-reading one slot before it acts on it); the others count as empty. */
  only?: readonly number[],
): Promise<Omit<FixInput, 'withUnreachableMasters'>> {
  const views = new Map(await Promise.all(nodes.map(async (n) => [n.id, await viewOf(conns, n.id)] as const)));
  const [entry] = nodes;
  const entryView = entry ? views.get(entry.id) : undefined;
  const listed = (id: string) => entryView?.find((l) => l.id === id);
  const seen = (id: string) => [...views.values()].map((v) => v?.find((l) => l.id === id)).find((l) => l !== undefined);
  const position = (id: string) => {
    if (id === entry?.id) return -1;
    const i = entryView?.findIndex((l) => l.id === id) ?? -1;
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  const ordered = [...nodes].sort((a, b) => position(a.id) - position(b.id));
  const input: FixInputNode[] = ordered.map((n) => {
    const own = views.get(n.id)?.find((l) => l.myself);
    const flags = listed(n.id)?.flags ?? [];
    const failed = flags.includes('fail') || flags.includes('noaddr');
    return {
      id: n.id,
      addr: `${n.host}:${n.port}`,
      role: own?.role ?? seen(n.id)?.role ?? 'unknown',
      reachable: own !== undefined && !failed,
      ...(own ? { own } : {}),
    };
  });
  const slots = only ? [...only] : slotsToInspect(input);
  const keys = new Map<number, Map<string, number>>(slots.map((s) => [s, new Map()]));
  const masters = input.filter((n) => n.reachable && n.role === 'master');
  await Promise.all(
    masters.map(async (m) => {
      for (let i = 0; i < slots.length; i += CHUNK) {
        const chunk = slots.slice(i, i + CHUNK);
        const replies = await conns.pipeline(
          m.id,
          'control',
          chunk.map((s) => ['CLUSTER', 'COUNTKEYSINSLOT', s]),
        );
        chunk.forEach((slot, j) => {
          const reply = replies[j];
          if (reply?.error || typeof reply?.value !== 'number')
            throw new MigrationError(
              'no_reply',
              `COUNTKEYSINSLOT ${slot} on ${m.addr}: ${reply?.error ? conns.describe(reply.error) : 'no reply'}`,
              slot,
            );
          keys.get(slot)?.set(m.id, reply.value);
        });
      }
    }),
  );
  return { nodes: input, keys };
}
