import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlanNode, planReshard, type SlotMove } from '@/lib/plan/reshard';
import { parseClusterNodes } from '@/lib/redis/clusterNodes';
import { type DevCluster, startDevCluster } from '../../scripts/devcluster/cluster';

// The planner against redis-cli itself: `--cluster reshard` prints its plan, asks to proceed, and is told "no".

const PASSWORD = 'plan-parity-pw';
let dev: DevCluster;
let nodes: PlanNode[];

beforeAll(async () => {
  dev = await startDevCluster({ masters: 3, replicasPerMaster: 1, password: PASSWORD, nodeTimeoutMs: 2000 });
  const first = dev.nodes[0];
  if (!first) throw new Error('no node');
  nodes = parseClusterNodes(await dev.clusterNodes(first));
}, 60_000);
afterAll(async () => {
  await dev?.stop();
});

function redisCliPlan(from: string, to: string, slots: number): Promise<SlotMove[]> {
  const seed = dev.nodes[0];
  if (!seed) throw new Error('no node');
  return new Promise((resolve, reject) => {
    const child = execFile(
      'redis-cli',
      [
        '--cluster',
        'reshard',
        seed.addr,
        '--cluster-from',
        from,
        '--cluster-to',
        to,
        '--cluster-slots',
        String(slots),
        '-a',
        PASSWORD,
        '--no-auth-warning',
      ],
      { timeout: 20_000, maxBuffer: 16 * 1024 * 1024 },
      (_err, stdout) => {
        if (!stdout.includes('Do you want to proceed with the proposed reshard plan')) {
          reject(new Error(`redis-cli did not ask to proceed:\n${stdout.slice(-2000)}`));
          return;
        }
        const moves = [...stdout.matchAll(/Moving slot (\d+) from ([0-9a-f]{40})/g)].map((m) => ({
          slot: Number(m[1]),
          sourceId: String(m[2]),
        }));
        resolve(moves);
      },
    );
    child.stdin?.end('no\n');
  });
}

const masters = () =>
  nodes.filter((n) => n.role === 'master').sort((a, b) => (a.slots[0]?.[0] ?? 0) - (b.slots[0]?.[0] ?? 0));

describe("the reshard plan for N slots from sources is redis-cli's, slot for slot", () => {
  const cases: Array<{ name: string; to: number; from: number[] | 'all'; slots: number }> = [
    { name: '1820 slots from one master', to: 1, from: [0], slots: 1820 },
    // The dev cluster's masters hold 5461, 5461 and 5462 slots.
    // 686/10922*5461 is 343 in double and 343.00003 in float: redis-cli gives 344 + 342, not 343 + 343.
    { name: 'two equal sources where float rounding shows', to: 2, from: [0, 1], slots: 686 },
    { name: 'two equal sources, the order given breaks the tie', to: 2, from: [1, 0], slots: 101 },
    { name: 'all other masters, unequal sizes (5461 and 5462)', to: 0, from: 'all', slots: 4097 },
    { name: 'more slots than one source holds', to: 2, from: [0], slots: 6000 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const m = masters();
      const target = m[c.to];
      if (!target) throw new Error('no target');
      const from = c.from === 'all' ? 'all' : c.from.map((i) => m[i]?.id ?? '').join(',');
      const expected = await redisCliPlan(from, target.id, c.slots);
      const plan = planReshard(nodes, target.id, {
        count: c.slots,
        sources: c.from === 'all' ? 'all' : c.from.map((i) => m[i]?.id ?? ''),
      });
      expect(expected.length).toBeGreaterThan(0);
      expect(plan.moves).toEqual(expected);
    });
  }
});
