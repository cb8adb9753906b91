import 'server-only';
import type { ApiErrorCode } from '@/lib/api/types';

const STATUS: Record<ApiErrorCode, number> = { bad_request: 400, not_found: 404, not_ready: 503, internal: 500 };

/** The one error type handlers throw; its message is shown to the caller, so it never carries secrets. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
  }

  get status(): number {
    return STATUS[this.code];
  }
}
