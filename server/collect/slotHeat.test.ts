import { describe, expect, it } from 'vitest';
import { SLOT_HEAT_DEFAULTS, sweepPace } from './slotHeat';

describe('sweepPace', () => {
  it('spreads a sweep over ~80 % of the interval, so more masters do not mean more commands per second', () => {
    // 3 masters of ~5,461 slots every 5 min: 23/s each, ~68/s for the cluster.
    expect(sweepPace(5461, SLOT_HEAT_DEFAULTS)).toBe(23);
    // 500 masters of ~33 slots: 1/s each (the floor): 500/s for the cluster during 33 s, then nothing until the next.
    expect(sweepPace(33, SLOT_HEAT_DEFAULTS)).toBe(1);
  });

  it('never goes past the bound: a master holding every slot takes longer than the interval instead', () => {
    expect(sweepPace(16384, { countKeysMs: 60_000, countKeysPerSecond: 100 })).toBe(100);
    expect(sweepPace(0, SLOT_HEAT_DEFAULTS)).toBe(1);
  });
});
