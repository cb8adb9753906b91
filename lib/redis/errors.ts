/** A reply from a node that does not have the shape the protocol promises. Never crash on it: report it. */
export class ReplyParseError extends Error {
  override readonly name = 'ReplyParseError';
  constructor(
    readonly reply: 'CLUSTER NODES' | 'CLUSTER INFO' | 'INFO' | 'CLUSTER LINKS' | 'SLOWLOG' | 'LATENCY',
    message: string,
    readonly line?: number,
  ) {
    super(`${reply}${line === undefined ? '' : ` line ${line}`}: ${message}`);
  }
}
