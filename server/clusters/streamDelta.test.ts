import { describe, expect, it } from 'vitest';
import type { SnapshotResponse } from '@/lib/api/types';
import { applyDelta, type SnapshotDelta } from '@/lib/cluster/snapshotDelta';
import { syntheticSnapshot } from '@/lib/cluster/syntheticSnapshot';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import { DeltaFrames } from './streamDelta';

function parse(frame: string) {
  const line = (name: string) =>
    frame
      .split('\n')
      .find((l) => l.startsWith(`${name}: `))
      ?.slice(name.length + 2);
  return { event: line('event'), id: Number(line('id')), data: JSON.parse(line('data') ?? 'null') as unknown };
}

/** A poll later: every node's round trip moved, one node changed its flags. */
function later(prev: ClusterSnapshot, n: number): ClusterSnapshot {
  return {
    ...prev,
    collectedAt: new Date(Date.parse(prev.collectedAt) + 1000).toISOString(),
    nodes: prev.nodes.map((node, i) => ({
      ...node,
      rttMs: n + i / 10,
      flags: i === n ? ['master', 'fail?'] : node.flags,
    })),
  };
}

describe('DeltaFrames', () => {
  it('sends the whole snapshot first, then deltas that rebuild each poll (age included), and a whole one every N', () => {
    const frames = new DeltaFrames(1000, 5);
    let poll = syntheticSnapshot(30);
    const start = Date.parse(poll.collectedAt);
    let held: { snapshot: SnapshotResponse; seq: number } | undefined;
    const events: string[] = [];
    for (let n = 0; n < 12; n++) {
      const now = start + n * 1000 + 250;
      const frame = parse(frames.frame(poll, now));
      events.push(frame.event ?? '');
      if (frame.event === 'snapshot') held = { snapshot: frame.data as SnapshotResponse, seq: frame.id };
      else {
        const outcome = applyDelta(held?.snapshot, held?.seq, frame.data as SnapshotDelta);
        if ('resync' in outcome) throw new Error(`frame ${n}: resync`);
        expect(outcome.seq).toBe(frame.id);
        held = outcome;
      }
      expect(held?.snapshot).toEqual({ ageMs: 250, pollIntervalMs: 1000, ...JSON.parse(JSON.stringify(poll)) });
      poll = later(poll, n);
    }
    expect(events).toEqual([
      'snapshot',
      'delta',
      'delta',
      'delta',
      'delta',
      'snapshot',
      'delta',
      'delta',
      'delta',
      'delta',
      'snapshot',
      'delta',
    ]);
  });

  it('a delta for 300 nodes whose round trips moved is a fraction of the whole snapshot', () => {
    const frames = new DeltaFrames(1000);
    const first = syntheticSnapshot(300);
    const full = frames.frame(first).length;
    const delta = frames.frame(later(first, 1)).length;
    expect(delta).toBeLessThan(full / 5);
  });
});
