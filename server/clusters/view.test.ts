import { describe, expect, it } from 'vitest';
import { healthy } from '@/lib/findings/snapshotFixture';
import type { ApiError } from '../api/errors';
import { inViewJson, viewOf, withAge } from './view';

const at = (query: string) => new Request(`http://127.0.0.1/api/clusters/c/snapshot${query}`);
const viewer = { kind: 'user', name: 'vera', role: 'viewer' } as const;

describe('viewOf', () => {
  it('gives a user the view asked for (full by default) and a kiosk the wall view whatever it asks', () => {
    expect(viewOf(at(''), viewer)).toBe('full');
    expect(viewOf(at('?view=wall'), viewer)).toBe('wall');
    expect(viewOf(at(''), { kind: 'kiosk' })).toBe('wall');
    expect(viewOf(at('?view=full'), { kind: 'kiosk' })).toBe('wall');
  });

  it('refuses an unknown view or parameter with 400', () => {
    for (const query of ['?view=nodes', '?limit=3'])
      expect(() => viewOf(at(query), viewer)).toThrow(expect.objectContaining({ code: 'bad_request' }) as ApiError);
  });
});

describe('inViewJson', () => {
  it('is the aged snapshot, serialised once per poll', () => {
    const snapshot = healthy();
    const now = Date.parse(snapshot.collectedAt) + 321;
    expect(JSON.parse(inViewJson(snapshot, 500, 'full', now))).toEqual(withAge(snapshot, 500, now));
    expect(JSON.parse(inViewJson(snapshot, 500, 'full', now + 100)).ageMs).toBe(421);
  });

  it('in the wall view carries no node list', () => {
    const wall = JSON.parse(inViewJson(healthy(), 500, 'wall'));
    expect(wall.nodes).toBeUndefined();
    expect(wall.shards).toHaveLength(3);
  });
});
