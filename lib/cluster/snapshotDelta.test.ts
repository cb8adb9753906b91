import { describe, expect, it } from 'vitest';
import { applyDelta, applyObject, diffObject, encodeDelta } from './snapshotDelta';
import { syntheticNode as node, syntheticSnapshot as snapshot } from './syntheticSnapshot';
import type { ClusterSnapshot, SnapshotNode } from './types';

// A deterministic generator, so a failure is the same on every run.
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

let newest = 100_000;

/** The next poll as JSON would carry it: counters move on some nodes, a node may fail, one may go or come back. */
function nextPoll(prev: ClusterSnapshot, rand: () => number): ClusterSnapshot {
  const nodes = prev.nodes.map((n) => {
    if (rand() < 0.7 || !n.info) return n;
    const changed: SnapshotNode = {
      ...n,
      rttMs: Math.round(rand() * 100) / 10,
      info: { ...n.info, total_commands_processed: n.info.total_commands_processed + Math.floor(rand() * 50) },
    };
    if (rand() < 0.1) changed.flags = [...n.flags, 'fail?'];
    if (rand() < 0.1) changed.error = 'timeout';
    else delete changed.error;
    if (rand() < 0.05) delete changed.info;
    return changed;
  });
  if (rand() < 0.3 && nodes.length > 2) nodes.splice(Math.floor(rand() * nodes.length), 1);
  if (rand() < 0.3) nodes.push(node(++newest, 1));
  if (rand() < 0.2) nodes.reverse();
  return {
    ...prev,
    collectedAt: new Date(Date.parse(prev.collectedAt) + 1000).toISOString(),
    pollDurationMs: Math.round(rand() * 100),
    state: rand() < 0.2 ? { ...prev.state, cluster_state: 'fail' } : prev.state,
    nodes,
  };
}

/** What the browser holds: the server's object as JSON carries it. */
const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('snapshot deltas', () => {
  it('a delta applied to the poll before gives the next poll exactly, over many polls', () => {
    const rand = prng(15);
    let server = snapshot(40);
    let client = wire(server);
    let seq = 1;
    for (let poll = 0; poll < 200; poll++) {
      const next = nextPoll(server, rand);
      const delta = wire(encodeDelta(server, next, seq));
      const outcome = applyDelta(client, seq, delta);
      if ('resync' in outcome) throw new Error(`poll ${poll}: resync asked for a delta from the right poll`);
      expect(outcome.snapshot).toEqual(wire(next));
      expect(outcome.seq).toBe(seq + 1);
      server = next;
      client = outcome.snapshot;
      seq = outcome.seq;
    }
  });

  it('sends only the nodes that changed, and only their changed fields', () => {
    const prev = snapshot(300);
    const nodes = [...prev.nodes];
    const one = nodes[7];
    if (!one?.info) throw new Error('fixture');
    nodes[7] = { ...one, rttMs: 9.5, info: { ...one.info, connected_clients: 42 } };
    const delta = encodeDelta(prev, { ...prev, nodes }, 3);
    expect(delta).toEqual({
      from: 3,
      nodes: { [one.id]: { set: { rttMs: 9.5 }, patch: { info: { set: { connected_clients: 42 } } } } },
    });
    expect(JSON.stringify(delta).length).toBeLessThan(JSON.stringify(prev).length / 100);
  });

  it('keeps the references of nodes (and parts of nodes) that did not change', () => {
    const prev = wire(snapshot(10));
    const next = wire(prev);
    const changed = next.nodes[3];
    if (!changed) throw new Error('fixture');
    changed.rttMs = 7;
    const outcome = applyDelta(prev, 5, wire(encodeDelta(prev, next, 5)));
    if ('resync' in outcome) throw new Error('resync');
    outcome.snapshot.nodes.forEach((n, i) => {
      if (i === 3) expect(n).not.toBe(prev.nodes[i]);
      else expect(n).toBe(prev.nodes[i]);
    });
    expect(outcome.snapshot.nodes[3]?.info).toBe(prev.nodes[3]?.info);
    expect(outcome.snapshot.nodes[3]?.slots).toBe(prev.nodes[3]?.slots);
  });

  it('a delta from another poll than the one held (a gap) asks for a full snapshot', () => {
    const prev = snapshot(6);
    const next = nextPoll(prev, prng(1));
    const delta = encodeDelta(prev, next, 10);
    expect(applyDelta(prev, 9, delta)).toEqual({ resync: true });
    expect(applyDelta(prev, 11, delta)).toEqual({ resync: true });
    expect(applyDelta(undefined, undefined, delta)).toEqual({ resync: true });
  });

  it('a delta naming a node the reader never had asks for a full snapshot', () => {
    const prev = snapshot(6);
    const held = { ...prev, nodes: prev.nodes.slice(1) };
    const next = { ...prev, nodes: [...prev.nodes].reverse() };
    expect(applyDelta(held, 1, encodeDelta(prev, next, 1))).toEqual({ resync: true });
  });

  it('fields that went away are removed, undefined counts as absent', () => {
    const patch = diffObject({ a: 1, b: { c: 2, d: 3 }, e: 4 }, { a: 1, b: { c: 2 }, e: undefined, f: [1] });
    expect(patch).toEqual({ unset: ['e'], set: { f: [1] }, patch: { b: { unset: ['d'] } } });
    expect(applyObject({ a: 1, b: { c: 2, d: 3 }, e: 4 }, wire(patch))).toEqual({ a: 1, b: { c: 2 }, f: [1] });
  });
});
