import { describe, expect, it } from 'vitest';
import { redactParams } from './log';

describe('redactParams', () => {
  it('drops secret-looking keys at any depth and keeps the rest', () => {
    expect(
      redactParams({
        username: 'ann',
        password: 'x',
        nested: { passwordHash: 'h', authToken: 't', keep: 1 },
        list: [{ secret: 's', ok: true }],
      }),
    ).toEqual({ username: 'ann', nested: { keep: 1 }, list: [{ ok: true }] });
  });

  it('cuts long strings and deep nesting', () => {
    expect(String(redactParams('x'.repeat(500))).length).toBe(201);
    expect(redactParams({ a: { b: { c: { d: { e: { f: 1 } } } } } })).toEqual({ a: { b: { c: { d: { e: '…' } } } } });
  });
});
