import { describe, expect, it } from 'vitest';
import { diffConfigs } from './diff';

const at = new Date('2026-01-01T00:00:00Z');

describe('diffConfigs', () => {
  it('lists only parameters that differ, value -> nodes, split by role', () => {
    const diff = diffConfigs(
      [
        { id: 'a', addr: 'h:1', role: 'master', values: { maxmemory: '100', appendonly: 'no' } },
        { id: 'b', addr: 'h:2', role: 'master', values: { maxmemory: '200', appendonly: 'no' } },
        { id: 'c', addr: 'h:3', role: 'replica', values: { maxmemory: '100', appendonly: 'no' } },
      ],
      at,
    );
    expect(diff.read).toBe(3);
    expect(diff.params.map((p) => p.name)).toEqual(['maxmemory']);
    const [maxmemory] = diff.params;
    expect(maxmemory?.masters).toEqual([
      { value: '100', nodes: [{ id: 'a', addr: 'h:1' }] },
      { value: '200', nodes: [{ id: 'b', addr: 'h:2' }] },
    ]);
    expect(maxmemory?.replicas).toEqual([{ value: '100', nodes: [{ id: 'c', addr: 'h:3' }] }]);
  });

  it('never shows a secret, but shows that it differs; a parameter one node lacks is "(absent)"', () => {
    const diff = diffConfigs(
      [
        { id: 'a', addr: 'h:1', role: 'master', values: { masterauth: 'pw-one', 'new-thing': 'x' } },
        { id: 'b', addr: 'h:2', role: 'master', values: { masterauth: 'pw-two' } },
      ],
      at,
    );
    expect(JSON.stringify(diff)).not.toMatch(/pw-one|pw-two/);
    const auth = diff.params.find((p) => p.name === 'masterauth');
    expect(auth?.secret).toBe(true);
    expect(auth?.masters.map((v) => v.value).sort()).toEqual(['secret #1', 'secret #2']);
    expect(
      diff.params
        .find((p) => p.name === 'new-thing')
        ?.masters.map((v) => v.value)
        .sort(),
    ).toEqual(['(absent)', 'x']);
  });

  it('names the nodes it could not read, with the disabled command, and puts per-node parameters last', () => {
    const diff = diffConfigs(
      [
        { id: 'a', addr: 'h:1', role: 'master', values: { port: '1', maxmemory: '1' } },
        { id: 'b', addr: 'h:2', role: 'replica', values: { port: '2', maxmemory: '2' } },
        { id: 'c', addr: 'h:3', role: 'replica', error: 'CONFIG disabled', command: 'disabled' },
      ],
      at,
    );
    expect(diff.params.map((p) => [p.name, p.perNode ?? false])).toEqual([
      ['maxmemory', false],
      ['port', true],
    ]);
    expect(diff.unreadable).toEqual([
      { id: 'c', addr: 'h:3', role: 'replica', reason: 'CONFIG disabled', command: 'disabled' },
    ]);
  });
});
