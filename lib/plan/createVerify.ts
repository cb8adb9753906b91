import type { CreatedNode } from '../api/createCluster';
import type { ClusterNodeLine } from '../redis/clusterNodes';
import type { CreateLayoutPlan } from './createLayout';

const addrOf = (line: Pick<ClusterNodeLine, 'host' | 'port'>) =>
  line.host.includes(':') ? `[${line.host}]:${line.port}` : `${line.host}:${line.port}`;

/** The cluster as one node's CLUSTER NODES shows it: each node's role, master and slot ranges, by address. */
export function layoutFromView(view: readonly ClusterNodeLine[]): CreatedNode[] {
  const addrById = new Map(view.map((l) => [l.id, addrOf(l)]));
  return view
    .map((l): CreatedNode => {
      const master = l.masterId ? addrById.get(l.masterId) : undefined;
      return {
        addr: addrOf(l),
        nodeId: l.id,
        role: l.role === 'replica' ? 'replica' : 'master',
        ...(master ? { master } : {}),
        slots: l.slots.map(([a, b]): [number, number] => [a, b]),
      };
    })
    .sort((a, b) => a.addr.localeCompare(b.addr));
}

/** The planned layout in the same shape (node ids from the preview). */
export function layoutFromPlan(plan: CreateLayoutPlan, nodeIds: Readonly<Record<string, string>>): CreatedNode[] {
  const nodes: CreatedNode[] = [
    ...plan.masters.map(
      (m): CreatedNode => ({ addr: m.addr, nodeId: nodeIds[m.addr] ?? '', role: 'master', slots: [m.slots] }),
    ),
    ...plan.replicas.map(
      (r): CreatedNode => ({
        addr: r.addr,
        nodeId: nodeIds[r.addr] ?? '',
        role: 'replica',
        master: r.master,
        slots: [],
      }),
    ),
    ...plan.unassigned.map((a): CreatedNode => ({ addr: a, nodeId: nodeIds[a] ?? '', role: 'master', slots: [] })),
  ];
  return nodes.sort((a, b) => a.addr.localeCompare(b.addr));
}

/**
 * Why the nodes' views are not yet the planned cluster, or undefined when every node lists every node (no handshake,
 * no noaddr) and shows the same roles, masters and slots as the plan.
 */
export function viewsDiffer(
  expected: readonly CreatedNode[],
  views: ReadonlyMap<string, readonly ClusterNodeLine[]>,
): string | undefined {
  const want = JSON.stringify(expected);
  for (const { addr } of expected) {
    const view = views.get(addr);
    if (!view) return `${addr} did not answer CLUSTER NODES`;
    const pending = view.filter((l) => l.flags.includes('handshake') || l.flags.includes('noaddr'));
    if (pending.length) return `${addr} still has ${pending.length} node(s) in handshake`;
    if (view.length !== expected.length) return `${addr} knows ${view.length} of ${expected.length} nodes`;
    if (JSON.stringify(layoutFromView(view)) !== want) return `${addr} shows a different layout than planned`;
  }
  return undefined;
}
