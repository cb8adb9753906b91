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

export const REDACTED = '(redacted)';

/** How many arguments after a keyword carry a secret, per command (Redis hides these itself only since 6.2). */
const SECRET_AFTER: Record<string, Record<string, number>> = {
  MIGRATE: { AUTH: 1, AUTH2: 2 },
  HELLO: { AUTH: 2 },
};

/**
 * The arguments with every secret blanked: AUTH's arguments, MIGRATE's AUTH/AUTH2 and HELLO's AUTH credentials,
 * CONFIG SET of requirepass/masterauth, and any argument holding one of `secrets` (the cluster's password) by value.
 */
export function redactSlowlogArgs(args: readonly string[], secrets: readonly string[]): string[] {
  const out = args.map((arg) => (secrets.some((s) => s && arg.includes(s)) ? REDACTED : arg));
  const command = out[0]?.toUpperCase() ?? '';
  if (command === 'AUTH') return [out[0] ?? 'AUTH', ...out.slice(1).map(() => REDACTED)];
  if (command === 'CONFIG' && out[1]?.toUpperCase() === 'SET') {
    for (let i = 2; i + 1 < out.length; i += 2)
      if (/^(requirepass|masterauth|masteruser)$/i.test(out[i] ?? '')) out[i + 1] = REDACTED;
  }
  const keywords = SECRET_AFTER[command];
  if (keywords) {
    for (let i = 1; i < out.length; i++) {
      const count = keywords[out[i]?.toUpperCase() ?? ''] ?? 0;
      for (let j = 1; j <= count && i + j < out.length; j++) out[i + j] = REDACTED;
    }
  }
  return out;
}
