import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/access';
import type { FixJob } from '@/lib/jobs/types';
import { parseClusterNodes } from '@/lib/redis/clusterNodes';
import { rangeContains } from '@/lib/redis/slots';
import type { DevCluster, DevNode } from '../../scripts/devcluster/cluster';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { redisCliCheck } from '../../scripts/test/redisCliCheck';
import { fillSlots, slotKey } from '../../scripts/test/slotData';
import { ClusterPoller } from '../collect/poller';
import { stopPollers } from '../collect/pollers';
import { getJob } from '../jobs/registry';
import { migrationJournal } from '../migrate/journal';
import { repairSlots } from '../migrate/repair';
import { previewFixOn, startFixOn } from './fix';
import { migrationNodes } from './reshardPlan';

// The fix job on broken states made for real (the ones fixPlan.int.test.ts proves the plan of against redis-cli's own
// fix): afterwards `redis-cli --cluster check` is clean, no key is lost, and each slot is owned by the planned owner.

const PASSWORD = 'fix-job-pw';
const operator: Principal = { kind: 'user', name: 'otto', role: 'operator' };
let dir: string;
let dev: DevCluster;
let poller: ClusterPoller;
let m0: DevNode;
let m1: DevNode;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fix-int-'));
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({ clusters: [{ id: 'other', name: 'Other', seeds: ['127.0.0.1:1'] }], auditLogPath: 'audit.jsonl' }),
  );
  process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');
  dev = await startThreeHostCluster({ password: PASSWORD });
  const [a, b] = dev.masters;
  if (!a || !b) throw new Error('no masters');
  // masters[0] owns 0-5460: every broken slot is one of its slots.
  [m0, m1] = [a, b];
  poller = new ClusterPoller(resolvedClusterFor(dev, { id: 'fix', pollIntervalMs: 500, nodeDeadlineMs: 1000 }));
  poller.start();
}, 60_000);
afterAll(async () => {
  poller?.stop();
  stopPollers();
  await dev?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const pw = ['-a', PASSWORD, '--no-auth-warning'];
const cmd = (node: DevNode, ...args: Array<string | number>) =>
  dev.client(node).call(...(args.map(String) as [string]));
const setslot = (node: DevNode, slot: number, ...rest: string[]) => cmd(node, 'CLUSTER', 'SETSLOT', slot, ...rest);

const clean = async () => {
  const report = await redisCliCheck(m0.addr, PASSWORD);
  return report.agree && report.covered && report.openSlots.length === 0 ? report : undefined;
};

/** Keys written on a node that does not own the slot but imports it (ASKING lets one command through). */
async function writeAsking(node: DevNode, slot: number, from: number, n: number): Promise<void> {
  const pipeline = dev.client(node).pipeline();
  for (let i = from; i < from + n; i++) pipeline.call('ASKING').set(slotKey(slot, i), `asked:${i}`);
  const replies = (await pipeline.exec()) ?? [];
  for (const [err] of replies) if (err) throw err;
}

async function totalKeys(): Promise<number> {
  let total = 0;
  for (const m of dev.masters) total += Number(await dev.client(m).dbsize());
  return total;
}

/** Ids of the masters whose own view claims the slot. */
async function ownersOf(slot: number): Promise<string[]> {
  const out: string[] = [];
  for (const m of dev.masters) {
    const own = parseClusterNodes(await dev.clusterNodes(m)).find((l) => l.myself);
    if (own && rangeContains(own.slots, slot)) out.push(own.id);
  }
  return out;
}

async function ended(jobId: string): Promise<FixJob> {
  return waitFor(
    `job ${jobId} to end`,
    async () => {
      const job = getJob(jobId) as FixJob | undefined;
      return job && job.state !== 'running' ? job : undefined;
    },
    120_000,
    50,
  );
}

/** `redis-cli --cluster reshard` of m0's lowest slot to m1, one key per MIGRATE, killed after `dots` keys. */
async function killedReshard(slot: number, dots: number): Promise<void> {
  const child = spawn(
    'redis-cli',
    [
      '--cluster',
      'reshard',
      m0.addr,
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
}

describe('the fix job', () => {
  it('fixes open, uncovered and half-moved slots: check clean, no key lost, the planned owners', async () => {
    await waitFor('check clean at the start', clean, 20_000);
    // A reshard killed mid-move first: redis-cli refuses to reshard a cluster with open or uncovered slots.
    const own = parseClusterNodes(await dev.clusterNodes(m0)).find((l) => l.myself);
    const killed = own?.slots[0]?.[0];
    if (killed === undefined) throw new Error('m0 owns no slot');
    await fillSlots(dev, [killed], () => 20_000, 16);
    await killedReshard(killed, 1500);
    const onTarget = Number(await cmd(m1, 'CLUSTER', 'COUNTKEYSINSLOT', killed));
    const onSource = Number(await cmd(m0, 'CLUSTER', 'COUNTKEYSINSLOT', killed));
    expect(onTarget, 'killed before any key moved').toBeGreaterThan(0);
    expect(onSource, 'killed after the last key moved').toBeGreaterThan(0);

    // Open: migrating on m0, importing on m1, keys on the source only (redis-cli's case 1).
    const [open1, open2, importing, migratingEmpty, uncovered] = [201, 202, 203, 204, 205];
    await fillSlots(dev, [open1, open2, importing, uncovered], () => 7);
    await setslot(m1, open1, 'IMPORTING', m0.id);
    await setslot(m0, open1, 'MIGRATING', m1.id);
    // Open with keys on both sides: 3 of 7 keys moved by MIGRATE, then stopped.
    await setslot(m1, open2, 'IMPORTING', m0.id);
    await setslot(m0, open2, 'MIGRATING', m1.id);
    await cmd(
      m0,
      'MIGRATE',
      m1.host,
      m1.port,
      '',
      0,
      5000,
      'AUTH',
      PASSWORD,
      'KEYS',
      ...[0, 1, 2].map((i) => slotKey(open2, i)),
    );
    // Importing only, with keys written on the importing node.
    await setslot(m1, importing, 'IMPORTING', m0.id);
    await writeAsking(m1, importing, 100, 2);
    // Migrating, nothing importing, no keys.
    await setslot(m0, migratingEmpty, 'MIGRATING', m1.id);
    // Uncovered, keys on one master.
    for (const n of dev.nodes) await cmd(n, 'CLUSTER', 'DELSLOTS', uncovered);
    expect(Number(await cmd(m1, 'CLUSTER', 'COUNTKEYSINSLOT', open2))).toBe(3);

    const before = await totalKeys();
    const preview = await previewFixOn(poller, {});
    expect(preview.refused).toBeUndefined();
    expect(preview.unhandled).toEqual([]);
    expect(preview.allowed, JSON.stringify(preview.checks)).toBe(true);
    const planned = new Map<number, string>();
    for (const a of preview.actions) planned.set(a.slot, a.owner);
    expect([...planned.keys()].sort((a, b) => a - b)).toEqual([
      killed,
      open1,
      open2,
      importing,
      migratingEmpty,
      uncovered,
    ]);
    const caseOf = (slot: number) => preview.actions.filter((a) => a.slot === slot).map((a) => a.case);
    expect(caseOf(open1)).toEqual(['migrating_and_importing']);
    expect(caseOf(importing)).toEqual(['importing_only']);
    expect(caseOf(migratingEmpty)).toEqual(['migrating_no_keys']);
    expect(caseOf(uncovered)).toEqual(['uncovered_one_holder']);
    expect(caseOf(killed)).toEqual(['importing_only']);
    // Every step that sends something has its command.
    for (const a of preview.actions) expect(a.ops.length).toBeGreaterThan(0);

    // Unreachable masters are an admin's call.
    await expect(
      startFixOn(poller, { withUnreachableMasters: true, confirm: 'Test cluster' }, operator),
    ).rejects.toMatchObject({ code: 'forbidden' });

    const { jobId } = await startFixOn(poller, { confirm: 'Test cluster' }, operator);
    const job = await ended(jobId);
    expect(job.state, job.error).toBe('succeeded');
    expect(job.kind).toBe('fix');
    expect(job.steps.map((s) => [s.name, s.state])).toEqual([
      ['pre-flight', 'done'],
      ['fix slots', 'done'],
      ['every node agrees', 'done'],
    ]);
    expect(job.result?.slotsFixed).toBe(preview.actions.length);
    expect(job.result?.skipped).toEqual([]);
    expect(job.result?.keysMoved).toBeGreaterThan(0);
    expect(job.migration?.slotsDone).toBe(preview.actions.length);
    await waitFor('redis-cli --cluster check clean after the fix', clean, 20_000);
    expect(await totalKeys()).toBe(before);
    for (const [slot, owner] of planned) {
      expect(await ownersOf(slot), `slot ${slot}`).toEqual([owner]);
      expect(job.result?.owners[slot]).toBe(owner);
    }
    // The killed reshard's slot keeps all its keys, on one node.
    expect(
      Number(
        await cmd(dev.masters.find((m) => m.id === planned.get(killed)) ?? m0, 'CLUSTER', 'COUNTKEYSINSLOT', killed),
      ),
    ).toBe(20_000);
    const after = await previewFixOn(poller, {});
    expect(after.allowed).toBe(false);
    expect(after.actions).toEqual([]);
    expect(after.reason).toMatch(/nothing to fix/);
  }, 180_000);

  it('fixes one migrating with two importing, an uncovered slot with no keys and one with keys on two masters', async () => {
    await waitFor('check clean at the start', clean, 20_000);
    const m2 = dev.masters[2];
    if (!m2) throw new Error('no third master');
    const [manyImporting, noKeys, twoHolders] = [401, 402, 403];
    await fillSlots(dev, [manyImporting, twoHolders], () => 7);
    // One migrating (to m1) with two importing (m1 and m2): redis-cli moves it to the node the migrating side names.
    await setslot(m1, manyImporting, 'IMPORTING', m0.id);
    await setslot(m2, manyImporting, 'IMPORTING', m0.id);
    await setslot(m0, manyImporting, 'MIGRATING', m1.id);
    // Uncovered with keys on two masters: 7 on m0, 3 written on m1 while it imported the slot, then nobody owns it.
    // (Written before any slot is uncovered: the cluster answers CLUSTERDOWN from then on.)
    await setslot(m1, twoHolders, 'IMPORTING', m0.id);
    await writeAsking(m1, twoHolders, 100, 3);
    await setslot(m1, twoHolders, 'STABLE');
    for (const n of dev.nodes) await cmd(n, 'CLUSTER', 'DELSLOTS', twoHolders);
    // Uncovered with no keys anywhere.
    for (const n of dev.nodes) await cmd(n, 'CLUSTER', 'DELSLOTS', noKeys);

    const before = await totalKeys();
    const preview = await previewFixOn(poller, {});
    expect(preview.allowed, JSON.stringify(preview.checks)).toBe(true);
    const caseOf = (slot: number) => preview.actions.filter((a) => a.slot === slot).map((a) => a.case);
    expect(caseOf(manyImporting)).toEqual(['migrating_many_importing']);
    expect(caseOf(noKeys)).toEqual(['uncovered_no_keys']);
    expect(caseOf(twoHolders)).toEqual(['uncovered_many_holders']);
    const planned = new Map(preview.actions.map((a) => [a.slot, a.owner]));
    expect(planned.get(manyImporting)).toBe(m1.id);
    expect(planned.get(twoHolders)).toBe(m0.id);

    const { jobId } = await startFixOn(poller, { confirm: 'Test cluster' }, operator);
    const job = await ended(jobId);
    expect(job.state, job.error).toBe('succeeded');
    await waitFor('redis-cli --cluster check clean after the fix', clean, 20_000);
    expect(await totalKeys()).toBe(before);
    for (const [slot, owner] of planned) expect(await ownersOf(slot), `slot ${slot}`).toEqual([owner]);
    expect(Number(await cmd(m0, 'CLUSTER', 'COUNTKEYSINSLOT', twoHolders))).toBe(10);
    expect(Number(await cmd(m1, 'CLUSTER', 'COUNTKEYSINSLOT', manyImporting))).toBe(7);
  }, 180_000);

  it('skips a slot that is fine by its turn, and stops at one that changed', async () => {
    await waitFor('check clean at the start', clean, 20_000);
    const [fine, changed] = [301, 302];
    await setslot(m0, fine, 'MIGRATING', m1.id);
    await setslot(m0, changed, 'MIGRATING', m1.id);
    const preview = await previewFixOn(poller, {});
    expect(preview.actions.map((a) => [a.slot, a.case])).toEqual([
      [fine, 'migrating_no_keys'],
      [changed, 'migrating_no_keys'],
    ]);
    // Fixed by hand after the plan; the other gets an importing side (now a move to finish, not a slot to close).
    await setslot(m0, fine, 'STABLE');
    await setslot(m1, changed, 'IMPORTING', m0.id);
    const snapshot = await poller.fresh();
    const jobId = `test-${Date.now()}`;
    await expect(
      repairSlots({
        jobId,
        cluster: poller.cluster,
        nodes: migrationNodes(snapshot),
        actions: preview.actions,
        journal: migrationJournal(),
      }),
    ).rejects.toThrow(/slot 302 changed since the plan: it was migrating_no_keys .* it is migrating_and_importing/);
    const journal = migrationJournal().entries(jobId);
    expect(journal.find((e) => e.slot === fine && e.phase === 'done')?.detail).toMatch(/already fine/);
    expect(journal.filter((e) => e.slot === changed).map((e) => e.phase)).toEqual(['planned', 'failed']);
    // Nothing was sent for the changed slot: still open as it was left.
    expect(await ownersOf(changed)).toEqual([m0.id]);
    const own = parseClusterNodes(await dev.clusterNodes(m1)).find((l) => l.myself);
    expect(own?.importing.some((m) => m.slot === changed)).toBe(true);
    // The fix job plans again and finishes it.
    const { jobId: fixId } = await startFixOn(poller, { confirm: 'Test cluster' }, operator);
    const job = await ended(fixId);
    expect(job.state, job.error).toBe('succeeded');
    await waitFor('redis-cli --cluster check clean after the fix', clean, 20_000);
  }, 60_000);
});
