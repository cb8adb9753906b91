import 'server-only';
import { ApiError } from '../api/errors';

/** The largest request body any route reads. */
export const MAX_BODY_BYTES = 64 * 1024;

function tooLarge(): ApiError {
  return new ApiError('payload_too_large', `request body over ${MAX_BODY_BYTES / 1024} KiB`);
}

/**
 * The body as text, never holding more than `limit` bytes: a larger Content-Length is refused before reading, and
 * a body without one (chunked) or longer than it claims is read with a running count and cancelled at the limit.
 */
export async function readBodyText(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
