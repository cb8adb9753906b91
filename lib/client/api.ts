import type { ApiErrorBody } from '../api/types';

/** An API call that failed: the envelope's code and message, plus the HTTP status (0 when the server is unreachable). */
export class ApiClientError extends Error {
  override readonly name = 'ApiClientError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
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

export async function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { signal, headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiClientError('unreachable', 'the dashboard server does not answer', 0);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    if (isErrorBody(body)) throw new ApiClientError(body.error.code, body.error.message, response.status);
    throw new ApiClientError('http', `HTTP ${response.status}`, response.status);
  }
  return body as T;
}
