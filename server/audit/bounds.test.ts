import { describe, expect, it } from 'vitest';
import { LoginRequest, ReshardStartRequest, SetNodeTimeoutRequest } from '@/lib/api/schemas';
import { boundedParams, cappedIssues, rejectedBody, rejectedReason, schemaKeys } from './bounds';

describe('boundedParams', () => {
  it('drops secret-looking keys at any depth and keeps the rest', () => {
    expect(
      boundedParams({
        username: 'ann',
        password: 'x',
        nested: { passwordHash: 'h', authToken: 't', keep: 1 },
        list: [{ secret: 's', ok: true }],
      }),
    ).toEqual({ username: 'ann', nested: { keep: 1 }, list: [{ ok: true }] });
  });

  it('cuts long strings, long lists, many keys and deep nesting, counting what it left out', () => {
    expect(String(boundedParams('x'.repeat(500))).length).toBe(201);
    expect(boundedParams({ a: { b: { c: { d: { e: 1 } } } } })).toEqual({ a: { b: { c: { d: '…' } } } });
    const slots = Array.from({ length: 16384 }, (_, i) => [i, i]);
    const list = boundedParams(slots) as unknown[];
    expect(list).toHaveLength(17);
    expect(list.at(-1)).toBe('(+16368 more)');
    const wide = boundedParams(Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, i])));
    expect(Object.keys(wide as object)).toHaveLength(33);
    expect(wide).toMatchObject({ '(more keys)': 60_000 - 32 });
  });

  it('cleans every string (and key) before cutting it, so a long secret is not left half visible', () => {
    const secret = 's'.repeat(300);
    const clean = (t: string) => t.split(secret).join('[redacted]');
    expect(boundedParams({ note: `x${secret}y`, [secret]: 1 }, clean)).toEqual({
      note: 'x[redacted]y',
      '[redacted]': 1,
    });
  });
});

describe('schemaKeys', () => {
  it('knows the fields of objects and of unions of objects', () => {
    expect([...schemaKeys(LoginRequest)].sort()).toEqual(['password', 'username']);
    expect([...schemaKeys(SetNodeTimeoutRequest)].sort()).toEqual(['confirm', 'timeoutMs']);
    expect([...schemaKeys(ReshardStartRequest)].sort()).toEqual([
      'confirm',
      'count',
      'options',
      'slots',
      'sources',
      'target',
    ]);
  });
});

describe('a refused body', () => {
  it('is described by counts and known field names, never by unknown key names or values', () => {
    const raw: Record<string, unknown> = { username: 42, password: 'hunter2-hunter2' };
    for (let i = 0; i < 60_000; i++) raw[`${'k'.repeat(10)}${i}`] = 'v';
    const parsed = LoginRequest.safeParse(raw);
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const rejected = rejectedBody(raw, parsed.error.issues, schemaKeys(LoginRequest));
    expect(rejected).toEqual({ body: 'object', keys: 60_002, unknownKeys: 60_000, invalid: ['username'] });
    expect(rejectedReason(rejected)).toBe('invalid request body (invalid field: username; 60000 unknown keys)');
    expect(rejectedBody([1], [], schemaKeys(LoginRequest))).toEqual({ body: 'array', invalid: [] });
  });

  it("gives the caller the problems, at a bounded length (zod's message repeats every unknown key)", () => {
    const raw = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`key-${i}-${'x'.repeat(100)}`, 1]));
    const parsed = LoginRequest.safeParse(raw);
    if (parsed.success) throw new Error('expected a refusal');
    const { message, fields } = cappedIssues(parsed.error.issues);
    expect(message.length).toBeLessThanOrEqual(1001);
    expect(fields.join('').length).toBeLessThan(17 * 202);
  });
});
