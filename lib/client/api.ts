import type { ApiErrorBody } from '../api/types';
import { markSessionEnded, sessionHasEnded } from './session';

/** An API call that failed: the envelope's code and message, plus the HTTP status (0 when the server is unreachable). */
export class ApiClientError extends Error {
  override readonly name = 'ApiClientError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** From Retry-After on a 429: how long the server asks the caller to wait. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  return (
    typeof body === 'object' &&
    body !== null &&
    'error' in body &&
    typeof (body as ApiErrorBody).error?.message === 'string'
  );
}

/** Retry-After in whole seconds, when the answer carries one. */
export function retryAfterOf(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : undefined;
}

const SESSION_ENDED = 'the session has ended';

export async function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  // Every read would be refused the same way: no request, so polling stops reaching the server.
  if (sessionHasEnded()) throw new ApiClientError('unauthenticated', SESSION_ENDED, 401);
  let response: Response;
  try {
    response = await fetch(path, { signal, headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiClientError('unreachable', 'the dashboard server does not answer', 0);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    if (response.status === 401 && isErrorBody(body) && body.error.code === 'unauthenticated') markSessionEnded();
    if (isErrorBody(body))
      throw new ApiClientError(body.error.code, body.error.message, response.status, retryAfterOf(response));
    throw new ApiClientError('http', `HTTP ${response.status}`, response.status, retryAfterOf(response));
  }
  return body as T;
}
