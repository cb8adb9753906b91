import 'server-only';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { CreateClusterResult } from '@/lib/api/createCluster';
import { splitHostPort } from '@/lib/config/schema';
import { changedSincePreview, createNodesRefusals } from '@/lib/plan/createCheck';
import type { CreateLayoutPlan } from '@/lib/plan/createLayout';
import { type CreateProgress, describeLeftBehind, emptyProgress } from '@/lib/plan/createProgress';
import { layoutFromPlan, layoutFromView, missingNodes, viewsDiffer } from '@/lib/plan/createVerify';
import { parseClusterInfo } from '@/lib/redis/clusterInfo';
import { type ClusterNodeLine, parseClusterNodes } from '@/lib/redis/clusterNodes';
import { parseInfo } from '@/lib/redis/info';
import { describeNodeError } from '../collect/errors';
import type { ResolvedCluster } from '../config/load';
import type { JobHandle } from '../jobs/registry';
import { NodeConnection } from '../redis/nodeClient';
import { readTargetFacts } from './checkTarget';
import { assertCreateAllowed } from './createTargets';

/** How long gossip may take to join every node, and replicas to sync and every node to agree. */
export const CREATE_JOIN_MS = 60_000;
export const CREATE_LINK_MS = 60_000;
const POLL_MS = 100;

const STEPS = {
  check: 'check every node again',
  slots: 'CLUSTER ADDSLOTSRANGE on each master',
  epochs: 'CLUSTER SET-CONFIG-EPOCH on each node',
  meet: 'CLUSTER MEET every node to the first',
  join: 'every node knows every other',
  replicate: 'CLUSTER REPLICATE on each replica',
  link: 'master_link_status:up on each replica',
  agree: 'cluster_state:ok and the same slot map on every node',
} as const;

export interface CreateJobInput {
  cluster: ResolvedCluster;
  layout: CreateLayoutPlan;
  nodeIds: Readonly<Record<string, string>>;
}

class Nodes {
  private readonly connections = new Map<string, NodeConnection>();
  constructor(private readonly cluster: ResolvedCluster) {}

  async call(addr: string, ...args: string[]): Promise<string> {
    let connection = this.connections.get(addr);
    if (!connection) {
      // assertCreateAllowed has passed every address of the job through createTargets.
      connection = new NodeConnection(addr, this.cluster, 5000, { typedTarget: true });
      this.connections.set(addr, connection);
    }
    await connection.ready(this.cluster.connectTimeoutMs);
    return String(await connection.redis.call(args[0] ?? '', ...args.slice(1)));
  }

  async views(addrs: readonly string[]): Promise<Map<string, ClusterNodeLine[]>> {
    const replies = await Promise.all(
      addrs.map(async (a) => [a, await this.call(a, 'CLUSTER', 'NODES').catch(() => undefined)] as const),
    );
    return new Map(replies.flatMap(([a, text]) => (text === undefined ? [] : [[a, parseClusterNodes(text)] as const])));
  }

  close(): void {
    for (const c of this.connections.values()) c.close();
  }
}

/** Polls `probe` until it returns a non-string; a string, or one node's error or timeout, is "not yet". */
async function until<T>(handle: JobHandle<unknown>, ms: number, probe: () => Promise<T | string>): Promise<T> {
  const deadline = Date.now() + ms;
  let last = 'not asked yet';
  while (Date.now() < deadline) {
    if (handle.signal.aborted) throw new Error('cancelled');
    const out = await probe().catch((err: unknown) => `${(err as Error).message}`);
    if (typeof out !== 'string') return out;
    last = out;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`not within ${Math.round(ms / 1000)} s: ${last}`);
}

/**
 * The IP the other nodes MEET: Redis 7.0's CLUSTER MEET takes an IP only, so a host name is resolved (node:dns, as
 * the dashboard itself would connect) before anything is sent.
 */
export async function meetIp(host: string): Promise<string> {
  if (isIP(host)) return host;
  try {
    return (await lookup(host)).address;
  } catch (err) {
    throw new Error(`${host} does not resolve to an IP, which CLUSTER MEET needs: ${(err as Error).message}`);
  }
}

/** SET-CONFIG-EPOCH; "already non-zero" is accepted as redis-cli does (it ignores the reply), and said. */
async function setEpoch(nodes: Nodes, addr: string, epoch: number): Promise<string | undefined> {
  try {
    await nodes.call(addr, 'CLUSTER', 'SET-CONFIG-EPOCH', String(epoch));
    return undefined;
  } catch (err) {
    if (!/already non-zero/i.test((err as Error).message)) throw err;
    return addr;
  }
}

/** ADDSLOTSRANGE (Redis 7+), else ADDSLOTS with every slot of the range. */
async function addSlots(nodes: Nodes, addr: string, [first, last]: [number, number]): Promise<void> {
  try {
    await nodes.call(addr, 'CLUSTER', 'ADDSLOTSRANGE', String(first), String(last));
  } catch (err) {
    if (!/unknown subcommand|unknown command/i.test((err as Error).message)) throw err;
    const slots = Array.from({ length: last - first + 1 }, (_, i) => String(first + i));
    await nodes.call(addr, 'CLUSTER', 'ADDSLOTS', ...slots);
  }
}

export async function runCreateCluster(
  handle: JobHandle<CreateClusterResult>,
  input: CreateJobInput,
): Promise<CreateClusterResult> {
  const started = Date.now();
  const { cluster, layout, nodeIds } = input;
  const all = [...layout.masters.map((m) => m.addr), ...layout.replicas.map((r) => r.addr), ...layout.unassigned];
  const ordered = cluster.seeds; // the nodes in the order given: epochs and the MEET target follow it
  const expected = layoutFromPlan(layout, nodeIds);
  handle.plan(
    layout.replicas.length
      ? Object.values(STEPS)
      : Object.values(STEPS).filter((s) => s !== STEPS.replicate && s !== STEPS.link),
  );
  const nodes = new Nodes(cluster);
  const secrets = cluster.password ? [cluster.password] : [];
  let current: string = STEPS.check;
  let at = '';
  const progress: CreateProgress = emptyProgress();
  const sending = async <T>(addr: string, send: () => Promise<T>): Promise<T> => {
    at = addr;
    progress.inFlight = addr;
    const out = await send();
    progress.inFlight = undefined;
    return out;
  };
  const safePoint = () => {
    if (handle.signal.aborted) throw new Error('cancelled');
  };
  try {
    handle.step(current, 'running');
    assertCreateAllowed(ordered);
    const facts = await Promise.all(ordered.map((a) => readTargetFacts(cluster, a, false)));
    const refusals = [...createNodesRefusals(facts), ...changedSincePreview(facts, nodeIds)];
    if (refusals.length) throw new Error(`refused: ${refusals.join('; ')}; nothing was sent beyond the checks`);
    const first = ordered[0] ?? '';
    const { host, port } = splitHostPort(first);
    const ip = await meetIp(host);
    handle.step(
      current,
      'done',
      `${ordered.length} nodes empty, cluster-enabled, epoch 0, as in the preview${ip === host ? '' : `; ${host} is ${ip}`}`,
    );

    safePoint();
    current = STEPS.slots;
    handle.step(current, 'running');
    for (const [i, master] of layout.masters.entries()) {
      await sending(master.addr, () => addSlots(nodes, master.addr, master.slots));
      progress.slots.push(master.addr);
      handle.step(current, 'running', `${i + 1} / ${layout.masters.length}: ${master.addr} ${master.slots.join('-')}`);
    }
    handle.step(current, 'done', `${layout.masters.length} masters, 16384 slots`);

    current = STEPS.epochs;
    handle.step(current, 'running');
    const alreadySet: string[] = [];
    for (const [i, addr] of ordered.entries()) {
      const already = await sending(addr, () => setEpoch(nodes, addr, i + 1));
      if (already) alreadySet.push(already);
      progress.epochs.push(addr);
    }
    const note = alreadySet.length
      ? `; ${alreadySet.join(', ')} answered "config epoch is already non-zero" (kept, as redis-cli does)`
      : '';
    handle.step(current, 'done', `epochs 1..${ordered.length} in the order given${note}`);

    safePoint();
    current = STEPS.meet;
    handle.step(current, 'running');
    at = first;
    const myself = parseClusterNodes(await nodes.call(first, 'CLUSTER', 'NODES')).find((l) => l.myself);
    const busPort = String(myself?.busPort || port + 10000); // 0 (no bus port shown) is not a port
    for (const addr of ordered.slice(1)) {
      await sending(addr, () => nodes.call(addr, 'CLUSTER', 'MEET', ip, String(port), busPort));
      progress.met.push(addr);
    }
    handle.step(current, 'done', `${ordered.length - 1} nodes met ${first} (${ip}:${port}, bus ${busPort})`);

    current = STEPS.join;
    handle.step(current, 'running');
    at = '';
    await until(handle, CREATE_JOIN_MS, async () => {
      const views = await nodes.views(all);
      for (const addr of all) {
        const view = views.get(addr);
        if (!view) return `${addr} does not answer`;
        const missing = missingNodes(expected, view);
        if (missing) return `${addr} ${missing}`;
      }
      return true;
    });
    handle.step(current, 'done', `each of ${all.length} nodes lists all ${all.length}`);

    if (layout.replicas.length) {
      safePoint();
      current = STEPS.replicate;
      handle.step(current, 'running');
      for (const replica of layout.replicas) {
        await sending(replica.addr, () =>
          nodes.call(replica.addr, 'CLUSTER', 'REPLICATE', nodeIds[replica.master] ?? ''),
        );
        progress.replicated.push(replica.addr);
      }
      handle.step(current, 'done', `${layout.replicas.length} replicas`);

      current = STEPS.link;
      handle.step(current, 'running');
      at = '';
      await until(handle, CREATE_LINK_MS, async () => {
        for (const replica of layout.replicas) {
          const status = parseInfo(await nodes.call(replica.addr, 'INFO', 'replication')).fields.master_link_status;
          if (status !== 'up') return `${replica.addr}: master_link_status:${status ?? 'absent'}`;
        }
        return true;
      });
      handle.step(current, 'done', `${layout.replicas.length} replicas linked`);
    }

    current = STEPS.agree;
    handle.step(current, 'running');
    const views = await until(handle, CREATE_LINK_MS, async () => {
      for (const addr of all) {
        const state = parseClusterInfo(await nodes.call(addr, 'CLUSTER', 'INFO')).cluster_state;
        if (state !== 'ok') return `${addr} reports cluster_state:${state}`;
      }
      const seen = await nodes.views(all);
      return viewsDiffer(expected, seen) ?? seen;
    });
    handle.step(current, 'done', `${all.length} nodes agree`);
    const typedById = Object.fromEntries(Object.entries(nodeIds).map(([addr, id]) => [id, addr]));
    return { nodes: layoutFromView(views.get(first) ?? [], typedById), ms: Date.now() - started };
  } catch (err) {
    const message = describeNodeError(err, secrets);
    const where = at && !message.includes(at) ? `${at}: ${message}` : message;
    const full = current === STEPS.check ? where : `${where}; ${describeLeftBehind(ordered, progress)}`;
    handle.step(current, 'failed', full);
    throw new Error(`${current}: ${full}`);
  } finally {
    nodes.close();
  }
}
