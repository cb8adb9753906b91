import 'server-only';
import type { ApiErrorCode, LockHolder } from '@/lib/api/types';

const STATUS: Record<ApiErrorCode, number> = {
  bad_request: 400,
  confirmation_required: 400,
  unauthenticated: 401,
  forbidden: 403,
  read_only: 403,
  target_not_allowed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  misdirected: 421,
  rate_limited: 429,
  not_ready: 503,
  internal: 500,
};

/** The one error type handlers throw; its message is shown to the caller, so it never carries secrets. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly fields?: string[],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  get status(): number {
    return STATUS[this.code];
  }
}

/** 409: the cluster's operation lock is held by another job, named in the message and in `error.job`. */
export class OperationConflictError extends ApiError {
  constructor(
    message: string,
    readonly job: LockHolder,
  ) {
    super('conflict', message);
  }
}
