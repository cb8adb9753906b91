import type { ApiErrorBody } from '../api/types';
import { ApiClientError, retryAfterOf } from './api';

/** POST JSON to the API (same origin, so the browser sends the Origin header the server checks). */
export async function apiPost<T>(path: string, body?: unknown): Promise<T | undefined> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiClientError('unreachable', 'the dashboard server does not answer', 0);
  }
  if (response.status === 204) return undefined;
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (json as ApiErrorBody | undefined)?.error;
    throw new ApiClientError(
      error?.code ?? 'http',
      error?.message ?? `HTTP ${response.status}`,
      response.status,
      retryAfterOf(response),
    );
  }
  return json as T;
}
