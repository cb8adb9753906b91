import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { MAX_BODY_BYTES, readBodyText } from './body';

function post(body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request('http://127.0.0.1/api/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

/** A body that never ends: 16 KiB chunks for as long as someone reads; counts what was pulled and whether cancelled. */
function endless() {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      seen.pulled += 16 * 1024;
      controller.enqueue(new Uint8Array(16 * 1024));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(err)}`);
  return err;
}

describe('readBodyText', () => {
  it('reads a body up to the limit', async () => {
    expect(await readBodyText(post('{"a":1}'))).toBe('{"a":1}');
    expect(await readBodyText(post('x'.repeat(MAX_BODY_BYTES)))).toHaveLength(MAX_BODY_BYTES);
    expect(await readBodyText(new Request('http://127.0.0.1/'))).toBe('');
  });

  it('refuses a larger Content-Length with 413 before reading anything', async () => {
    const { stream, seen } = endless();
    const err = await refusal(readBodyText(post(stream, { 'content-length': String(MAX_BODY_BYTES + 1) })));
    expect([err.code, err.status]).toEqual(['payload_too_large', 413]);
    expect(seen.pulled).toBeLessThanOrEqual(2 * 16 * 1024);
  });

  it('stops an endless body (no or a lying Content-Length) at the limit and cancels it', async () => {
    for (const headers of [{}, { 'content-length': '10' }] as Record<string, string>[]) {
      const { stream, seen } = endless();
      const err = await refusal(readBodyText(post(stream, headers)));
      expect(err.status).toBe(413);
      expect(seen.cancelled).toBe(true);
      expect(seen.pulled).toBeLessThan(MAX_BODY_BYTES + 4 * 16 * 1024);
    }
  });
});
