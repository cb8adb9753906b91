import 'server-only';

export type MigrationErrorCode =
  /** A key exists on both sides with different values, and "replace" was not chosen. */
  | 'busykey'
  /** A node refused a step (SETSLOT, MIGRATE): its error is in the message. */
  | 'refused'
  /** No reply (connection lost, timeout) where the outcome matters: the slot's state is read again on resume. */
  | 'no_reply'
  /** The slot is not where the plan says (another owner, another migration). */
  | 'conflict';

/** Why a slot move stopped, naming the slot, the nodes and (for a conflict) the key. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    readonly slot?: number,
    readonly key?: string,
  ) {
    super(message);
  }
}

/** The error text Redis sent, without ioredis' decorations. */
export function replyText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A reply from Redis (a refusal); anything else (timeout, closed connection) leaves "did it run?" open. */
export function isReplyError(err: unknown): boolean {
  return err instanceof Error && err.name === 'ReplyError';
}

/** Key names are binary; shown as text with control bytes escaped, cut at 200 characters. */
export function showKey(key: Buffer): string {
  const text = key.toString('utf8');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escapes control bytes in key names shown to people
  const safe = text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return safe.length > 200 ? `${safe.slice(0, 200)}…` : safe;
}
