import { ReplyParseError } from './errors';

export interface SlowlogEntry {
  id: number;
  /** Unix seconds. */
  timestamp: number;
  durationMicros: number;
  /** Command and arguments as the server kept them (it truncates long ones itself). */
  args: string[];
  clientAddr: string;
  clientName: string;
}

/** SLOWLOG GET in RESP2: [[id, time, micros, [args...], addr, name], ...]; addr and name since 4.0. */
export function parseSlowlog(reply: unknown): SlowlogEntry[] {
  if (!Array.isArray(reply)) throw new ReplyParseError('SLOWLOG', 'reply is not a list');
  return reply.map((entry, i) => {
    if (!Array.isArray(entry) || entry.length < 4 || !Array.isArray(entry[3])) {
      throw new ReplyParseError('SLOWLOG', `entry ${i} has the wrong shape`);
    }
    const [id, timestamp, duration, args, addr, name] = entry as unknown[];
    const numbers = [id, timestamp, duration].map(Number);
    if (numbers.some((n) => !Number.isFinite(n)))
      throw new ReplyParseError('SLOWLOG', `entry ${i} has non-numeric fields`);
    return {
      id: numbers[0] ?? 0,
      timestamp: numbers[1] ?? 0,
      durationMicros: numbers[2] ?? 0,
      args: (args as unknown[]).map((a) => String(a)),
      clientAddr: typeof addr === 'string' ? addr : '',
      clientName: typeof name === 'string' ? name : '',
    };
  });
}
