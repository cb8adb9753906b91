import { describe, expect, it } from 'vitest';
import { evaluateFindings } from '../findings';
import { healthy, id, infoWith, withNode } from '../findings/snapshotFixture';
import { masterOverlayReason, overlayCode, slotOverlay } from './slotOverlay';

const master1Slots = 5461;
const master3Slots = 16384 - 10923;

describe('slotOverlay', () => {
  it('overlays nothing on a healthy cluster', () => {
    const overlay = slotOverlay(healthy());
    expect(overlay.warning).toBe(0);
    expect(overlay.critical).toBe(0);
    expect(overlay.masters).toEqual([]);
    expect(overlay.kind.every((k) => k === 0)).toBe(true);
  });

  it('marks the slots of a master the dashboard cannot reach, in the warning colour', () => {
    const s = withNode(healthy(), 1, { reachable: false, error: 'no reply within 500 ms' });
    const overlay = slotOverlay(s);
    expect(overlay.counts.unreachable).toBe(master1Slots);
    expect(overlay.warning).toBe(master1Slots);
    expect(overlay.critical).toBe(0);
    expect(overlay.kind[0]).toBe(overlayCode('unreachable'));
    expect(overlay.kind[5460]).toBe(overlayCode('unreachable'));
    expect(overlay.kind[5461]).toBe(0);
    expect(overlay.masters.map((m) => [m.node.id, m.reason])).toEqual([[id(1), 'unreachable']]);
  });

  it('marks a PFAIL master (in the reference view or in some node’s own view) as warning, not unreachable', () => {
    const flagged = withNode(healthy(), 2, { flags: ['master', 'fail?'], reachable: false, error: 'no reply' });
    expect(slotOverlay(flagged).counts).toEqual({ fail: 0, pfail: 5462, unreachable: 0, noReplica: 0 });
    const seen = withNode(healthy(), 2, { pfailSeenBy: [id(1)] });
    expect(slotOverlay(seen).counts.pfail).toBe(5462);
    expect(slotOverlay(seen).warning).toBe(5462);
  });

  it('marks a FAIL master that still owns its slots as critical', () => {
    const s = withNode(healthy(), 3, { flags: ['master', 'fail'], reachable: false, error: 'ECONNREFUSED' });
    const overlay = slotOverlay(s);
    expect(overlay.critical).toBe(master3Slots);
    expect(overlay.warning).toBe(0);
    expect(overlay.kind[16383]).toBe(overlayCode('fail'));
    // The replica was promoted: the failed master owns nothing, so nothing is overlaid for it.
    let after = withNode(s, 6, { role: 'master', masterId: null, slots: [[10923, 16383]], slotCount: master3Slots });
    after = withNode(after, 3, { slots: [], slotCount: 0 });
    // ...but the new master has no replica now.
    const next = slotOverlay(after);
    expect(next.critical).toBe(0);
    expect(next.masters.map((m) => [m.node.id, m.reason])).toEqual([[id(6), 'noReplica']]);
  });

  it('marks a master whose only replica cannot take over (link down, unreachable, flagged, or none)', () => {
    const linkDown = withNode(healthy(), 4, { info: infoWith({ master_link_status: 'down', connected_slaves: 0 }) });
    const master = linkDown.nodes.find((n) => n.id === id(1));
    if (!master) throw new Error('no master');
    expect(masterOverlayReason(linkDown, master)).toBe('noReplica');
    expect(slotOverlay(linkDown).counts.noReplica).toBe(master1Slots);
    const replicaGone = withNode(healthy(), 5, { reachable: false, error: 'ECONNREFUSED' });
    expect(slotOverlay(replicaGone).counts.noReplica).toBe(5462);
    const replicaPfail = withNode(healthy(), 6, { flags: ['slave', 'fail?'] });
    expect(slotOverlay(replicaPfail).counts.noReplica).toBe(master3Slots);
    const none = { ...healthy(), nodes: healthy().nodes.filter((n) => n.id !== id(4)) };
    expect(slotOverlay(none).counts.noReplica).toBe(master1Slots);
  });

  it('gives each master its worst reason once', () => {
    // Unreachable and without a working replica: counted as unreachable only.
    let s = withNode(healthy(), 1, { reachable: false, error: 'no reply' });
    s = withNode(s, 4, { reachable: false, error: 'no reply' });
    const overlay = slotOverlay(s);
    expect(overlay.counts).toEqual({ fail: 0, pfail: 0, unreachable: master1Slots, noReplica: 0 });
    expect(overlay.masters).toHaveLength(1);
  });

  it('counts warning and critical slots across masters, matching the findings that name them', () => {
    let s = withNode(healthy(), 1, { flags: ['master', 'fail'], reachable: false, error: 'ECONNREFUSED' });
    s = withNode(s, 2, { pfailSeenBy: [id(3)] });
    s = { ...s, nodes: s.nodes.filter((n) => n.id !== id(6)) };
    const overlay = slotOverlay(s);
    expect(overlay.critical).toBe(master1Slots);
    expect(overlay.warning).toBe(5462 + master3Slots);
    expect(overlay.counts).toEqual({ fail: master1Slots, pfail: 5462, unreachable: 0, noReplica: master3Slots });
    const codes = new Set(evaluateFindings(s).map((f) => f.code));
    expect(codes).toContain('slots_unserved');
    expect(codes).toContain('master_no_replica');
  });

  it('overlays nothing for masters without slots, and leaves uncovered slots alone', () => {
    let s = withNode(healthy(), 1, { slots: [[10, 5460]], slotCount: 5451, reachable: false, error: 'no reply' });
    s = withNode(s, 4, { role: 'master', masterId: null, reachable: false, error: 'no reply' });
    const overlay = slotOverlay(s);
    expect(overlay.kind[0]).toBe(0);
    expect(overlay.kind[10]).toBe(overlayCode('unreachable'));
    expect(overlay.counts.unreachable).toBe(5451);
  });
});
