/**
 * One wording for a timeout, whichever timer fired first (ioredis's "Command timed out" or the poll's own deadline
 * "no reply within N ms"): a stopped sentinel's reason, and the finding quoting it, stay the same poll to poll.
 */
export function timeoutWords(error: string, deadlineMs: number): string {
  return /^command timed out$|^no reply within \d+ ms$/i.test(error.trim())
    ? `no reply within ${deadlineMs} ms`
    : error;
}
