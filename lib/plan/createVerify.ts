import type { CreatedNode } from '../api/createCluster';
import type { ClusterNodeLine } from '../redis/clusterNodes';
import type { CreateLayoutPlan } from './createLayout';

const addrOf = (line: Pick<ClusterNodeLine, 'host' | 'port'>) =>
  line.host.includes(':') ? `[${line.host}]:${line.port}` : `${line.host}:${line.port}`;

/**
 * The cluster as one node's CLUSTER NODES shows it: each node's role, master and slot ranges, with the address the
 * cluster announces (and the typed one, given `typedById`, where they differ).
 */
export function layoutFromView(
  view: readonly ClusterNodeLine[],
  typedById: Readonly<Record<string, string>> = {},
): CreatedNode[] {
  const addrById = new Map(view.map((l) => [l.id, addrOf(l)]));
  return view
    .map((l): CreatedNode => {
      const master = l.masterId ? addrById.get(l.masterId) : undefined;
      const typed = typedById[l.id];
      return {
        addr: addrOf(l),
        nodeId: l.id,
        role: l.role === 'replica' ? 'replica' : 'master',
        ...(master ? { master } : {}),
        ...(l.role === 'replica' && l.masterId ? { masterId: l.masterId } : {}),
        ...(typed && typed !== addrOf(l) ? { typed } : {}),
        slots: l.slots.map(([a, b]): [number, number] => [a, b]),
      };
    })
    .sort((a, b) => a.addr.localeCompare(b.addr));
}

/** The planned layout in the same shape (node ids from the preview; addresses as typed). */
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
        masterId: nodeIds[r.master] ?? '',
        slots: [],
      }),
    ),
    ...plan.unassigned.map((a): CreatedNode => ({ addr: a, nodeId: nodeIds[a] ?? '', role: 'master', slots: [] })),
  ];
  return nodes.sort((a, b) => a.addr.localeCompare(b.addr));
}

/**
 * A layout's signature by node id (redis-cli clusterManagerIsConfigConsistent: node ids and slots): role, master id
 * and slot ranges of every node, addresses left out (a host name, cluster-announce-ip or NAT changes those).
 */
export function layoutSignature(nodes: readonly CreatedNode[]): string {
  return nodes
    .map((n) => `${n.nodeId} ${n.role} ${n.masterId ?? '-'} ${n.slots.map(([a, b]) => `${a}-${b}`).join(',')}`)
    .sort()
    .join('\n');
}

/**
 * Why the nodes' views are not yet the planned cluster, or undefined when every node lists every planned node id
 * (no handshake, no noaddr) and shows the same roles, masters and slots as the plan, compared by node id. `views` is
 * keyed by the address the job dials (the typed one).
 */
export function viewsDiffer(
  expected: readonly CreatedNode[],
  views: ReadonlyMap<string, readonly ClusterNodeLine[]>,
): string | undefined {
  const want = layoutSignature(expected);
  for (const { addr } of expected) {
    const view = views.get(addr);
    if (!view) return `${addr} did not answer CLUSTER NODES`;
    const missing = missingNodes(expected, view);
    if (missing) return `${addr} ${missing}`;
    if (view.length !== expected.length) return `${addr} knows ${view.length} of ${expected.length} nodes`;
    if (layoutSignature(layoutFromView(view)) !== want) return `${addr} shows a different layout than planned`;
  }
  return undefined;
}

/** What one node's view still lacks of the planned node ids (handshake/noaddr lines do not count), or undefined. */
export function missingNodes(expected: readonly CreatedNode[], view: readonly ClusterNodeLine[]): string | undefined {
  const pending = view.filter((l) => l.flags.includes('handshake') || l.flags.includes('noaddr'));
  if (pending.length) return `still has ${pending.length} node(s) in handshake`;
  const known = new Set(view.map((l) => l.id));
  const absent = expected.filter((n) => !known.has(n.nodeId));
  if (absent.length)
    return `does not know ${absent.map((n) => `${n.addr} (${n.nodeId.slice(0, 8)})`).join(', ')} yet (${known.size} of ${expected.length} nodes)`;
  return undefined;
}
