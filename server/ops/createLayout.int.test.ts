// The create planner against its oracle: redis-cli --cluster create on 6 empty nodes over 3 loopback hosts.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreateLayoutPlan, planCreateLayout } from '../../lib/plan/createLayout';
import { type ClusterNodeLine, parseClusterNodes } from '../../lib/redis/clusterNodes';
import { connectTo } from '../../scripts/devcluster/cluster';
import { type RedisProcess, startRedisProcess, stopRedisProcess } from '../../scripts/devcluster/redisProcess';
import { THREE_HOSTS, waitFor } from '../../scripts/test/helpers';
import { redisCliCheck } from '../../scripts/test/redisCliCheck';

const run = promisify(execFile);

let dir: string;
let nodes: RedisProcess[] = [];
let addrs: string[] = [];
let createOutput = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'create-layout-'));
  // Listed grouped by host (a1 a2 b1 b2 c1 c2), so the masters come from redis-cli's interleaving, not from the order.
  const specs = THREE_HOSTS.flatMap((host) => [host, host]);
  nodes = await Promise.all(specs.map((host) => startRedisProcess({ host, dir, nodeTimeoutMs: 2000 })));
  addrs = nodes.map((n) => `${n.host}:${n.port}`);
  const { stdout } = await run(
    'redis-cli',
    ['--cluster', 'create', ...addrs, '--cluster-replicas', '1', '--cluster-yes'],
    { timeout: 60_000 },
  );
  createOutput = stdout;
});

afterAll(async () => {
  await Promise.all(nodes.map((n) => stopRedisProcess(n)));
  if (dir) await rm(dir, { recursive: true, force: true });
});

function plan(): CreateLayoutPlan {
  const result = planCreateLayout({ nodes: addrs, replicasPerMaster: 1 });
  if (!result.ok) throw new Error(result.refusals.map((r) => r.message).join('; '));
  return result.plan;
}

/** Every node's CLUSTER NODES, once all six agree on six nodes with every slot assigned. */
async function settledView(): Promise<ClusterNodeLine[]> {
  return waitFor(
    'all six nodes to agree on the created cluster',
    async () => {
      const views = await Promise.all(
        nodes.map(async (n) => {
          const client = connectTo(n.host, n.port);
          try {
            const info = String(await client.call('CLUSTER', 'INFO'));
            const text = String(await client.call('CLUSTER', 'NODES'));
            return { ok: /cluster_state:ok/.test(info), lines: parseClusterNodes(text) };
          } finally {
            client.disconnect();
          }
        }),
      );
      const shape = (lines: ClusterNodeLine[]) =>
        JSON.stringify(
          lines
            .map((l) => [`${l.host}:${l.port}`, l.role, l.slots, l.masterId])
            .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
        );
      const first = views[0];
      if (!first || views.some((v) => !v.ok || v.lines.length !== 6 || shape(v.lines) !== shape(first.lines)))
        return undefined;
      return first.lines;
    },
    30_000,
    200,
  );
}

describe('createLayout against redis-cli --cluster create', () => {
  it('prints the same master slot ranges and first replica assignment that the planner plans', () => {
    const printed = [...createOutput.matchAll(/(?:Master|Primary)\[(\d+)\] -> Slots (\d+) - (\d+)/g)].map((m) => [
      Number(m[2]),
      Number(m[3]),
    ]);
    expect(printed).toEqual(plan().masters.map((m) => m.slots));
    // redis-cli runs its random optimiser only when its first assignment scores above 0. Here it scores 0 (no "Trying
    // to optimize" line), so its pairing is deterministic and the planner's must be the same. Where the optimiser
    // runs, only the property (no replica on its master's host) can be compared.
    const printedReplicas = [...createOutput.matchAll(/Adding replica (\S+) to (\S+)/g)].map((m) => [m[1], m[2]]);
    expect(printedReplicas.sort()).toEqual(
      plan()
        .replicas.map((r) => [r.addr, r.master])
        .sort(),
    );
    expect(createOutput).not.toMatch(/Trying to optimize/);
  });

  it('leaves a clean cluster whose masters, slots and replicas are the planned layout', async () => {
    const lines = await settledView();
    const addrOf = new Map(lines.map((l) => [l.id, `${l.host}:${l.port}`]));
    const layout = plan();
    const masters = lines
      .filter((l) => l.role === 'master')
      .map((l) => ({ addr: `${l.host}:${l.port}`, slots: l.slots }))
      .sort((a, b) => (a.slots[0]?.[0] ?? 0) - (b.slots[0]?.[0] ?? 0));
    expect(masters).toEqual(layout.masters.map((m) => ({ addr: m.addr, slots: [m.slots] })));

    const replicas = lines
      .filter((l) => l.role === 'replica')
      .map((l) => ({ addr: `${l.host}:${l.port}`, host: l.host, master: addrOf.get(l.masterId ?? '') ?? '?' }));
    for (const r of replicas) expect(r.master.slice(0, r.master.lastIndexOf(':')), r.addr).not.toBe(r.host);
    expect(layout.antiAffinity.replicasOnMasterHost).toBe(0);
    expect(replicas.sort((a, b) => a.addr.localeCompare(b.addr))).toEqual(
      layout.replicas
        .map((r) => ({ addr: r.addr, host: r.host, master: r.master }))
        .sort((a, b) => a.addr.localeCompare(b.addr)),
    );
    // The preview by host is the same layout, host by host.
    for (const host of layout.byHost) {
      expect(host.masters.sort()).toEqual(
        masters
          .filter((m) => m.addr.startsWith(`${host.host}:`))
          .map((m) => m.addr)
          .sort(),
      );
    }

    const seed = addrs[0] ?? '';
    const check = await redisCliCheck(seed);
    expect(check).toMatchObject({ agree: true, covered: true, openSlots: [], unreachable: [] });
    expect(Object.values(check.replicasOf)).toEqual([1, 1, 1]);
  });
});
