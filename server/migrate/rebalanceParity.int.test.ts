import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainPlan, planRebalance, type RebalanceOptions } from '@/lib/plan/rebalance';
import { type ClusterNodeLine, parseClusterNodes } from '@/lib/redis/clusterNodes';
import { rangeContains, SLOT_COUNT } from '@/lib/redis/slots';
import { type DevCluster, type DevNode, startDevCluster, waitFor } from '../../scripts/devcluster/cluster';
import { redisCliCheck } from '../../scripts/test/redisCliCheck';

// The rebalance planner against redis-cli itself: `--cluster rebalance --cluster-simulate` prints
// "Moving N slots from A to B" per step and moves nothing. Each setup reassigns the slots with CLUSTER SETSLOT NODE.

const PASSWORD = 'rebalance-parity-pw';
let dev: DevCluster;
let masters: DevNode[];

beforeAll(async () => {
  // A master that gives its last slot away by SETSLOT NODE would turn into a replica of the taker (7.0+): not here.
  dev = await startDevCluster({
    masters: 4,
    replicasPerMaster: 0,
    password: PASSWORD,
    nodeTimeoutMs: 2000,
    extraConfig: { 'cluster-allow-replica-migration': 'no' },
  });
  masters = dev.masters;
}, 60_000);
afterAll(async () => {
  await dev?.stop();
});

const entry = () => {
  const node = dev.nodes[0];
  if (!node) throw new Error('no node');
  return node;
};

/** Slot counts per master (in dev.masters order), as contiguous ranges from slot 0. */
function ownersFor(counts: number[]): string[] {
  if (counts.reduce((a, b) => a + b, 0) !== SLOT_COUNT) throw new Error('counts must cover every slot');
  const owners: string[] = [];
  counts.forEach((count, i) => {
    const id = masters[i]?.id ?? '';
    for (let k = 0; k < count; k++) owners.push(id);
  });
  return owners;
}

function ownersSeenBy(lines: ClusterNodeLine[]): string[] {
  const owners: string[] = new Array(SLOT_COUNT).fill('');
  for (const line of lines) {
    if (line.role !== 'master') continue;
    for (const [start, end] of line.slots) for (let s = start; s <= end; s++) owners[s] = line.id;
  }
  return owners;
}

/**
 * The old owners let go first (so no node gossips a stale claim), then every master is told; then wait until every
 * node shows the wanted owners and `redis-cli --cluster check` agrees. Told again while it does not.
 */
async function assignSlots(counts: number[]): Promise<void> {
  const wanted = ownersFor(counts);
  const setSlots = async (node: DevNode, slots: number[]) => {
    if (slots.length === 0) return;
    const pipeline = dev.client(node).pipeline();
    for (const slot of slots) pipeline.call('CLUSTER', 'SETSLOT', String(slot), 'NODE', wanted[slot] ?? '');
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  };
  const current = ownersSeenBy(parseClusterNodes(await dev.clusterNodes(entry())));
  const changed = wanted.flatMap((id, slot) => (current[slot] !== id ? [slot] : []));
  await Promise.all(
    masters.map((m) =>
      setSlots(
        m,
        changed.filter((s) => current[s] === m.id),
      ),
    ),
  );
  await Promise.all(masters.map((m) => setSlots(m, changed)));
  await waitFor(
    'every node to show the new slot owners and redis-cli check to agree',
    async () => {
      for (const node of dev.nodes) {
        const seen = ownersSeenBy(parseClusterNodes(await dev.clusterNodes(node)));
        const wrong = seen.flatMap((id, slot) => (id !== wanted[slot] ? [slot] : []));
        if (wrong.length) {
          await setSlots(node, wrong);
          return undefined;
        }
      }
      const check = await redisCliCheck(entry().addr, PASSWORD);
      return check.agree && check.covered && check.openSlots.length === 0 ? true : undefined;
    },
    30_000,
    200,
  );
}

interface CliMove {
  from: string;
  to: string;
  count: number;
}

function redisCliRebalance(args: string[]): Promise<{ moves: CliMove[]; output: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'redis-cli',
      ['--cluster', 'rebalance', entry().addr, '--cluster-simulate', ...args, '-a', PASSWORD, '--no-auth-warning'],
      { timeout: 20_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the ANSI colour codes redis-cli prints
        const output = `${stdout}\n${stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
        if (err && !output.includes('No rebalancing needed')) {
          reject(new Error(`redis-cli rebalance failed: ${err.message}\n${output.slice(-2000)}`));
          return;
        }
        const moves = [...output.matchAll(/^Moving (\d+) slots from (\S+:\d+) to (\S+:\d+)$/gm)].map((m) => ({
          count: Number(m[1]),
          from: String(m[2]),
          to: String(m[3]),
        }));
        resolve({ moves, output });
      },
    );
  });
}

/**
 * The planner's input as redis-cli builds its node list (clusterManagerLoadInfoFromNode): the entry node first, then
 * the other lines of the entry node's CLUSTER NODES in their order.
 */
async function planInput(): Promise<{ lines: ClusterNodeLine[]; addrOf: (id: string) => string }> {
  const lines = parseClusterNodes(await dev.clusterNodes(entry()));
  const ordered = [...lines.filter((l) => l.myself), ...lines.filter((l) => !l.myself)];
  const addrOf = (id: string) => {
    const line = ordered.find((l) => l.id === id);
    return line ? `${line.host}:${line.port}` : id;
  };
  return { lines: ordered, addrOf };
}

const idOf = (i: number) => masters[i]?.id ?? '';

interface Case {
  name: string;
  counts: number[];
  /** Master index -> weight. */
  weights?: Record<number, number>;
  threshold?: number;
  useEmptyMasters?: boolean;
  /** Expect redis-cli to move something (or, false, to say no rebalancing is needed). */
  moves: boolean;
}

function cliArgs(c: Case): string[] {
  const args: string[] = [];
  if (c.weights) args.push('--cluster-weight', ...Object.entries(c.weights).map(([i, w]) => `${idOf(Number(i))}=${w}`));
  if (c.threshold !== undefined) args.push('--cluster-threshold', String(c.threshold));
  if (c.useEmptyMasters) args.push('--cluster-use-empty-masters');
  return args;
}

function planOptions(c: Case): RebalanceOptions {
  return {
    ...(c.weights
      ? { weights: Object.fromEntries(Object.entries(c.weights).map(([i, w]) => [idOf(Number(i)), w])) }
      : {}),
    ...(c.threshold !== undefined ? { threshold: c.threshold } : {}),
    ...(c.useEmptyMasters ? { useEmptyMasters: true } : {}),
  };
}

const cases: Case[] = [
  { name: 'uneven slots', counts: [8000, 4000, 3000, 1384], moves: true },
  // Two masters with as much to receive: the stable sort keeps redis-cli's node order between them.
  { name: 'uneven slots with a tie in balance', counts: [7384, 3000, 3000, 3000], moves: true },
  { name: 'weights (floats)', counts: [8000, 4000, 3000, 1384], weights: { 0: 2, 1: 1.5, 3: 0.7 }, moves: true },
  {
    name: 'weights where float rounding leaves slots over',
    counts: [4096, 4096, 4096, 4096],
    weights: { 2: 3 },
    moves: true,
  },
  // 16384 / 3 = 5461.33: one slot over after rounding, handed to the first master (in list order) at balance <= 0.
  { name: 'an empty master, left out', counts: [6000, 5384, 5000, 0], moves: true },
  // The entry node (master 0) sits at balance 0: it takes the leftover slot because redis-cli lists it first.
  { name: 'the leftover slot goes to the entry node first', counts: [5461, 6000, 4923, 0], moves: true },
  { name: 'an empty master, used', counts: [6000, 5384, 5000, 0], useEmptyMasters: true, moves: true },
  { name: 'balanced but for the leftover slot (under the threshold)', counts: [5461, 5461, 5462, 0], moves: false },
  { name: 'under the default threshold', counts: [4100, 4090, 4100, 4094], moves: false },
  { name: 'over the default threshold', counts: [4300, 4000, 4084, 4000], moves: true },
  { name: 'the same under --cluster-threshold 5', counts: [4300, 4000, 4084, 4000], threshold: 5, moves: false },
  { name: 'the same over --cluster-threshold 4.5', counts: [4300, 4000, 4084, 4000], threshold: 4.5, moves: true },
  { name: '--cluster-threshold 0 never rebalances', counts: [8000, 4000, 3000, 1384], threshold: 0, moves: false },
];

describe("the rebalance plan by slots is redis-cli's (--cluster-simulate), move for move", () => {
  for (const c of cases) {
    it(c.name, async () => {
      await assignSlots(c.counts);
      const { moves: expected, output } = await redisCliRebalance(cliArgs(c));
      const { lines, addrOf } = await planInput();
      const plan = planRebalance({ nodes: lines }, planOptions(c));
      const got = plan.moves.map((m) => ({ count: m.slots.length, from: addrOf(m.from), to: addrOf(m.to) }));
      if (c.moves) expect(expected.length, output).toBeGreaterThan(0);
      else {
        expect(output).toContain('No rebalancing needed');
        expect(plan.reason).toBeTruthy();
      }
      expect(got).toEqual(expected);
    });
  }

  it('a drain is redis-cli with --cluster-weight <id>=0', async () => {
    await assignSlots([5000, 4000, 4000, 3384]);
    const drained = entry().id;
    const { moves: expected } = await redisCliRebalance(['--cluster-weight', `${drained}=0`]);
    const { lines, addrOf } = await planInput();
    const plan = drainPlan({ nodes: lines }, drained);
    const got = plan.moves.map((m) => ({ count: m.slots.length, from: addrOf(m.from), to: addrOf(m.to) }));
    expect(expected.length).toBeGreaterThan(0);
    expect(got).toEqual(expected);
    expect(plan.after[drained]?.slots).toBe(0);
    const line = lines.find((l) => l.id === drained);
    expect(plan.moves.filter((m) => m.from === drained).flatMap((m) => m.slots).length).toBe(
      line?.slots.reduce((n, [s, e]) => n + e - s + 1, 0),
    );
    expect(rangeContains(line?.slots ?? [], 0)).toBe(true);
  });

  it('a real run (no --cluster-simulate) leaves every slot where the plan says', async () => {
    await assignSlots([4600, 4000, 3900, 3884]);
    const { lines } = await planInput();
    const plan = planRebalance({ nodes: lines });
    expect(plan.moves.length).toBeGreaterThan(1);
    const wanted = ownersSeenBy(lines);
    for (const move of plan.moves) for (const slot of move.slots) wanted[slot] = move.to;
    await new Promise<void>((resolve, reject) => {
      execFile(
        'redis-cli',
        ['--cluster', 'rebalance', entry().addr, '-a', PASSWORD, '--no-auth-warning'],
        { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout) => (err ? reject(new Error(`${err.message}\n${stdout.slice(-2000)}`)) : resolve()),
      );
    });
    const seen = ownersSeenBy(parseClusterNodes(await dev.clusterNodes(entry())));
    expect(seen.flatMap((owner, slot) => (owner !== wanted[slot] ? [slot] : []))).toEqual([]);
  });
});
