import { execFile, spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FixCase, type FixPlan, planFix } from '@/lib/plan/fix';
import { parseClusterNodes } from '@/lib/redis/clusterNodes';
import { rangeContains } from '@/lib/redis/slots';
import type { DevCluster, DevNode } from '../../scripts/devcluster/cluster';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { redisCliCheck } from '../../scripts/test/redisCliCheck';
import { fillSlots, slotKey } from '../../scripts/test/slotData';
import { MigrationConnections } from '../migrate/connections';
import { readFixInput } from './fixInput';

// Each broken state made for real, planned by readFixInput + planFix, then handed to `redis-cli --cluster fix`: the
// slot's owner afterwards must be the planned owner, `--cluster check` clean, and no key lost.

const PASSWORD = 'fix-plan-pw';
let dev: DevCluster;
let entry: DevNode;
let m0: DevNode;
let m1: DevNode;
let m2: DevNode;

beforeAll(async () => {
  dev = await startThreeHostCluster({ password: PASSWORD });
  const [a, b, c] = dev.masters;
  if (!a || !b || !c) throw new Error('no masters');
  // masters[0] owns 0-5460: every case starts from one of its slots.
  [m0, m1, m2] = [a, b, c];
  entry = a;
}, 60_000);
afterAll(async () => {
  await dev?.stop();
});

const pw = ['-a', PASSWORD, '--no-auth-warning'];
const clean = async () => {
  const report = await redisCliCheck(entry.addr, PASSWORD);
  return report.agree && report.covered && report.openSlots.length === 0 ? true : undefined;
};

/**
 * `redis-cli --cluster fix --cluster-yes`. Its slot-coverage prompts ignore --cluster-yes (they want a typed "yes"
 * whatever the flag says), so "yes" goes in on stdin too: one per prompt (no keys, one holder, several holders).
 */
function redisCliFix(): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile(
      'redis-cli',
      ['--cluster', 'fix', entry.addr, '--cluster-yes', ...pw],
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (_err, stdout, stderr) => resolve(`${stdout}\n${stderr}`),
    );
    child.stdin?.end('yes\nyes\nyes\n');
  });
}

/** A failed case must not leave the next one a broken cluster: fix whatever is left, until check is clean. */
afterEach(async () => {
  if (await clean()) return;
  await redisCliFix();
  await waitFor('check clean after the reset', clean, 20_000);
});

const cmd = (node: DevNode, ...args: Array<string | number>) =>
  dev.client(node).call(...(args.map(String) as [string]));
const setslot = (node: DevNode, slot: number, ...rest: string[]) => cmd(node, 'CLUSTER', 'SETSLOT', slot, ...rest);

/** Keys written on a node that does not own the slot but imports it (ASKING lets one command through). */
async function writeAsking(node: DevNode, slot: number, from: number, n: number): Promise<void> {
  const pipeline = dev.client(node).pipeline();
  for (let i = from; i < from + n; i++) pipeline.call('ASKING').set(slotKey(slot, i), `asked:${i}`);
  const replies = (await pipeline.exec()) ?? [];
  for (const [err] of replies) if (err) throw err;
}

async function keysIn(slot: number): Promise<number> {
  let total = 0;
  for (const m of dev.masters) total += Number(await cmd(m, 'CLUSTER', 'COUNTKEYSINSLOT', slot));
  return total;
}

/** The master whose own view claims the slot (every master agrees once check is clean). */
async function ownerOf(slot: number): Promise<string[]> {
  const owners: string[] = [];
  for (const m of dev.masters) {
    const own = parseClusterNodes(await dev.clusterNodes(m)).find((l) => l.myself);
    if (own && rangeContains(own.slots, slot)) owners.push(own.id);
  }
  return owners;
}

async function plan(): Promise<FixPlan> {
  // The entry node first, as redis-cli is pointed at it.
  const nodes = [entry, ...dev.nodes.filter((n) => n !== entry)].map(migrationNode);
  const conns = new MigrationConnections(resolvedClusterFor(dev), nodes);
  try {
    return planFix(await readFixInput(conns, nodes));
  } finally {
    conns.close();
  }
}
function migrationNode(n: DevNode) {
  return { id: n.id, connectAddr: n.addr, host: n.host, port: n.port };
}

/**
 * Plans, checks the planned case, runs redis-cli's fix on the same state, and compares: owner, check, keys.
 * `ownerMayDiffer`: redis-cli chooses at random there, so only "some master" can be asserted.
 */
async function planThenFix(slot: number, expected: FixCase | FixCase[], ownerMayDiffer = false) {
  const before = await keysIn(slot);
  const result = await plan();
  expect(result.refused).toBeUndefined();
  expect(result.unhandled).toEqual([]);
  const actions = result.actions.filter((a) => a.slot === slot);
  expect(actions.length).toBeGreaterThan(0);
  const last = actions[actions.length - 1];
  if (!last) throw new Error('no action');
  expect([expected].flat()).toContain(last.case);
  const output = await redisCliFix();
  await waitFor('redis-cli --cluster check clean after the fix', clean, 20_000);
  const owners = await ownerOf(slot);
  expect(owners).toHaveLength(1);
  if (ownerMayDiffer) {
    expect(dev.masters.map((m) => m.id)).toContain(owners[0]);
    console.log(
      `slot ${slot}: planned ${last.owner.slice(0, 8)}, redis-cli chose ${owners[0]?.slice(0, 8)} (at random)`,
    );
  } else expect(owners[0], output).toBe(last.owner);
  expect(await keysIn(slot)).toBe(before);
  return { plan: result, action: last, output };
}

describe("the fix plan names the owner redis-cli's fix ends with", () => {
  it('case 1: migrating on the source, importing on the target, keys on the source only -> the target', async () => {
    const slot = 101;
    await fillSlots(dev, [slot], () => 7);
    await setslot(m1, slot, 'IMPORTING', m0.id);
    await setslot(m0, slot, 'MIGRATING', m1.id);
    const { action } = await planThenFix(slot, 'migrating_and_importing');
    expect(action.owner).toBe(m1.id);
    expect(action.moveKeysFrom).toEqual([m0.id]);
  });

  it('case 2: importing only, with keys written on the importing node -> back to the owner', async () => {
    const slot = 102;
    await fillSlots(dev, [slot], () => 6);
    await setslot(m1, slot, 'IMPORTING', m0.id);
    await writeAsking(m1, slot, 100, 2);
    const { action } = await planThenFix(slot, 'importing_only');
    expect(action.owner).toBe(m0.id);
    expect(action.moveKeysFrom).toEqual([m1.id]);
  });

  it('case 3: one migrating, two importing -> the node the migrating side names', async () => {
    const slot = 103;
    await fillSlots(dev, [slot], () => 5);
    await setslot(m1, slot, 'IMPORTING', m0.id);
    await setslot(m2, slot, 'IMPORTING', m0.id);
    await setslot(m0, slot, 'MIGRATING', m2.id);
    const { action } = await planThenFix(slot, 'migrating_many_importing');
    expect(action.owner).toBe(m2.id);
  });

  it('case 4: migrating, nothing importing, no keys -> closed, the owner keeps it', async () => {
    const slot = 104;
    await setslot(m0, slot, 'MIGRATING', m1.id);
    const { action } = await planThenFix(slot, 'migrating_no_keys');
    expect(action.owner).toBe(m0.id);
  });

  it('migrating, nothing importing, keys on the owner -> closed, the keys stay', async () => {
    const slot = 105;
    await fillSlots(dev, [slot], () => 4);
    await setslot(m0, slot, 'MIGRATING', m1.id);
    const { action } = await planThenFix(slot, 'migrating_only');
    expect(action.owner).toBe(m0.id);
    expect(action.moveKeysFrom).toEqual([]);
  });

  it('uncovered, no keys anywhere -> a master (redis-cli: at random; the plan: the fewest slots)', async () => {
    const slot = 106;
    for (const n of dev.nodes) await cmd(n, 'CLUSTER', 'DELSLOTS', slot);
    await planThenFix(slot, 'uncovered_no_keys', true);
  });

  it('uncovered, keys on one master -> that master', async () => {
    const slot = 107;
    await fillSlots(dev, [slot], () => 3);
    for (const n of dev.nodes) await cmd(n, 'CLUSTER', 'DELSLOTS', slot);
    const { action } = await planThenFix(slot, 'uncovered_one_holder');
    expect(action.owner).toBe(m0.id);
  });

  it('uncovered, keys on two masters -> the one with more, the other keys moved to it', async () => {
    const slot = 108;
    await fillSlots(dev, [slot], () => 3);
    await setslot(m1, slot, 'IMPORTING', m0.id);
    await writeAsking(m1, slot, 100, 6);
    await setslot(m1, slot, 'STABLE');
    for (const n of dev.nodes) await cmd(n, 'CLUSTER', 'DELSLOTS', slot);
    const { action } = await planThenFix(slot, 'uncovered_many_holders');
    expect(action.owner).toBe(m1.id);
    expect(action.moveKeysFrom).toEqual([m0.id]);
  });

  // Killed early the source holds more keys, killed late the target: redis-cli rolls back, or forward.
  it.each([
    { dots: 300, winner: 'source' },
    { dots: 14_000, winner: 'target' },
  ])(
    'a redis-cli reshard killed after $dots keys -> the $winner (the side with more keys)',
    async ({ dots, winner }) => {
      // The slot redis-cli will move: the lowest m0 owns.
      const own = parseClusterNodes(await dev.clusterNodes(m0)).find((l) => l.myself);
      const slot = own?.slots[0]?.[0];
      if (slot === undefined) throw new Error('m0 owns no slot');
      await fillSlots(dev, [slot], () => 20_000, 16);
      // One key per MIGRATE (one dot each): slow enough to be killed with keys on both sides.
      const child = spawn(
        'redis-cli',
        [
          '--cluster',
          'reshard',
          entry.addr,
          '--cluster-from',
          m0.id,
          '--cluster-to',
          m1.id,
          '--cluster-slots',
          '1',
          '--cluster-yes',
          '--cluster-pipeline',
          '1',
          ...pw,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      try {
        await waitFor(
          `redis-cli printed "Moving slot ${slot}" and moved ${dots} keys`,
          async () => {
            const at = out.indexOf(`Moving slot ${slot} from`);
            return at >= 0 && (out.slice(at).match(/\./g)?.length ?? 0) > dots ? true : undefined;
          },
          30_000,
          5,
        );
      } finally {
        if (child.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
        await exited;
      }
      const onTarget = Number(await cmd(m1, 'CLUSTER', 'COUNTKEYSINSLOT', slot));
      const onSource = Number(await cmd(m0, 'CLUSTER', 'COUNTKEYSINSLOT', slot));
      expect(onTarget, 'killed before any key moved').toBeGreaterThan(0);
      expect(onSource, 'killed after the last key moved').toBeGreaterThan(0);
      expect(
        onTarget > onSource ? 'target' : 'source',
        `${onSource} keys on the source, ${onTarget} on the target`,
      ).toBe(winner);
      const { action, output } = await planThenFix(slot, 'importing_only');
      expect(action.owner).toBe(winner === 'target' ? m1.id : m0.id);
      expect(output).toContain('No single clear owner');
      expect(await keysIn(slot)).toBe(20_000);
    },
  );
});
