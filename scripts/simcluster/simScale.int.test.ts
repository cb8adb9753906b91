// 1,000 simulated nodes (500 masters + 500 replicas) polled by the dashboard's ClusterPoller at its 1 s interval: every
// node shown, a node the simulator flips to FAIL shown failed within 2 polls, a hung node shown unreachable while
// the polls go on. Counted in polls, not seconds: wall deadlines are generous (a poll of 1,000 nodes may be slow).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../lib/cluster/types';
import { ClusterPoller } from '../../server/collect/poller';
import { resolvedClusterFor, waitFor } from '../test/helpers';
import { type SimCluster, startSimCluster } from './index';

const MASTERS = 500;
const TOTAL = MASTERS * 2;

let sim: SimCluster;
let poller: ClusterPoller;
/** Every snapshot with the poll count it closed. */
const polls: Array<{ poll: number; snapshot: ClusterSnapshot }> = [];

beforeAll(async () => {
  sim = await startSimCluster({ masters: MASTERS, replicasPerMaster: 1, password: 'sim-scale' });
  // A generous node deadline: this test is about what the polls show, counted in polls; how long a poll of 1,000
  // nodes takes is measured by scripts/bench/snapshotSimulated.ts (with the default 1 s deadline).
  poller = new ClusterPoller(
    resolvedClusterFor(sim, { pollIntervalMs: 1000, nodeDeadlineMs: 10_000, latencySampleMs: 0 }),
  );
  poller.subscribe((snapshot) => {
    polls.push({ poll: poller.polls, snapshot });
  });
  poller.start();
});

afterAll(async () => {
  poller?.stop();
  await sim?.stop();
});

/** The first poll after `after` whose snapshot satisfies `ok`, waited for with a wall deadline. */
function firstPollWhere(after: number, what: string, ok: (s: ClusterSnapshot) => boolean, timeoutMs = 180_000) {
  return waitFor(what, async () => polls.find((p) => p.poll > after && ok(p.snapshot)), timeoutMs, 100);
}

const pollTimes = (from: number) =>
  polls
    .filter((p) => p.poll > from)
    .map((p) => p.snapshot.pollDurationMs)
    .join(', ');

describe('1,000 simulated nodes', () => {
  it('lists every node, each reachable, slots covered', { timeout: 300_000 }, async () => {
    const complete = await firstPollWhere(
      0,
      `a poll with all ${TOTAL} nodes reachable`,
      (s) => s.summary.nodes === TOTAL && s.summary.reachable === TOTAL,
    );
    expect(complete.snapshot.summary).toMatchObject({ masters: MASTERS, replicas: MASTERS, slotsCovered: 16384 });
    expect(complete.snapshot.status).toBe('ok');
    console.log(`complete at poll ${complete.poll}; poll wall times so far (ms): ${pollTimes(0)}`);
  });

  it('shows a node the simulator flips to FAIL as failed within 2 polls', { timeout: 300_000 }, async () => {
    const target = sim.masters[137];
    if (!target) throw new Error('no master 137');
    const before = poller.polls;
    await sim.flag(target.id, 'fail');
    const shown = await firstPollWhere(before, `${target.addr} shown failed`, (s) =>
      Boolean(s.nodes.find((n) => n.id === target.id)?.flags.includes('fail')),
    );
    console.log(`FAIL shown at poll ${shown.poll - before} after the flip; poll times (ms): ${pollTimes(before)}`);
    expect(shown.poll - before).toBeLessThanOrEqual(2);
    expect(shown.snapshot.status).not.toBe('ok');
  });

  it('shows a hung node unreachable within 2 polls while the polls go on', { timeout: 300_000 }, async () => {
    const target = sim.replicas[42];
    if (!target) throw new Error('no replica 42');
    const before = poller.polls;
    await sim.hang(target.id, true);
    const shown = await firstPollWhere(before, `${target.addr} shown unreachable`, (s) =>
      s.nodes.some((n) => n.id === target.id && !n.reachable),
    );
    expect(shown.poll - before).toBeLessThanOrEqual(2);
    expect(shown.snapshot.nodes.find((n) => n.id === target.id)?.error).toMatch(/no reply|connected, no reply/);
    // Three more polls finish, the hung node unreachable in each, and the others answer.
    const after = await waitFor(
      'three more polls',
      async () => {
        const later = polls.filter((p) => p.poll > shown.poll);
        return later.length >= 3 ? later.slice(0, 3) : undefined;
      },
      180_000,
      100,
    );
    for (const p of after) {
      expect(p.snapshot.nodes.find((n) => n.id === target.id)?.reachable).toBe(false);
      expect(p.snapshot.summary.reachable).toBe(TOTAL - 1);
    }
    console.log(`after the hang, poll wall times (ms): ${pollTimes(before)}`);
    await sim.hang(target.id, false);
  });
});
