import { describe, expect, it } from 'vitest';
import { describeLeftBehind, emptyProgress, nodesToReset } from './createProgress';

const ordered = ['a:1', 'b:1', 'c:1'];

describe('describeLeftBehind', () => {
  it('says nothing was changed before the first write', () => {
    expect(describeLeftBehind(ordered, emptyProgress())).toBe('nothing was changed on any node');
  });

  it('names the nodes that got slots or epochs, and the one a command was in flight to', () => {
    const progress = { ...emptyProgress(), slots: ['a:1', 'b:1', 'c:1'], epochs: ['a:1'], inFlight: 'b:1' };
    expect(nodesToReset(ordered, progress)).toEqual(['a:1', 'b:1', 'c:1']);
    const text = describeLeftBehind(ordered, { ...progress, slots: ['a:1'] });
    expect(text).toBe(
      'left behind: slots on a:1; config epochs on a:1; MEET sent by none; a command in flight to b:1; run CLUSTER RESET HARD on a:1, b:1 before using them again (RESET SOFT keeps the config epoch)',
    );
  });

  it('asks to reset every node once one MEET was sent (gossip spreads it)', () => {
    const progress = { ...emptyProgress(), slots: ['a:1'], epochs: [...ordered], met: ['b:1'] };
    expect(nodesToReset(ordered, progress)).toEqual(ordered);
  });
});
