import 'server-only';

/** A guided Sentinel failover that stopped, with what the operator needs to know. */
export class SentinelFailoverError extends Error {
  override name = 'SentinelFailoverError';
}
