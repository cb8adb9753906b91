import 'server-only';
import type { Redis } from 'ioredis';
import { joinHostPort } from '@/lib/sentinel/replies';
import type { FailoverLinks } from './failoverLinks';

/** The events a failover goes through, as every sentinel publishes them on its own pub/sub (channel = event name). */
export const FAILOVER_EVENTS = [
  '+new-epoch',
  '+try-failover',
  '+elected-leader',
  '+failover-state-select-slave',
  '+selected-slave',
  '+failover-state-send-slaveof-noone',
  '+failover-state-wait-promotion',
  '+promoted-slave',
  '+failover-state-reconf-slaves',
  '+slave-reconf-sent',
  '+slave-reconf-inprog',
  '+slave-reconf-done',
  '+failover-end',
  '+failover-end-for-timeout',
  '+switch-master',
  '+convert-to-slave',
  '+sdown',
  '-sdown',
  '+odown',
  '-odown',
  '-failover-abort-not-elected',
  '-failover-abort-no-good-slave',
  '-failover-abort-slave-timeout',
] as const;

export interface SentinelEvent {
  sentinel: string;
  event: string;
  message: string;
  at: number;
}

/** "<type> <name> <ip> <port> @ <master-name> <master-ip> <master-port>": the instance's "ip:port". */
export function instanceAddr(message: string): string | undefined {
  const parts = message.split(' ');
  return parts.length >= 4 &&
    parts[0] !== undefined &&
    parts[0] !== 'master' &&
    parts[2] !== undefined &&
    parts[3] !== undefined
    ? joinHostPort(parts[2], parts[3])
    : undefined;
}

/** "+switch-master <name> <old-ip> <old-port> <new-ip> <new-port>": the new master's "ip:port". */
export function switchedTo(message: string): { name: string; from: string; to: string } | undefined {
  const [name, oldIp, oldPort, newIp, newPort] = message.split(' ');
  if (!name || !newIp || !newPort) return undefined;
  return { name, from: joinHostPort(oldIp ?? '', oldPort ?? ''), to: joinHostPort(newIp, newPort) };
}

/**
 * Listens to every given sentinel's failover events for the job's lifetime. A sentinel that cannot be reached is
 * retried by its connection; the job reads `events` and `waitFor` what it needs.
 */
export class SentinelEvents {
  readonly events: SentinelEvent[] = [];
  private readonly subscribers: Redis[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(private readonly masterName: string) {}

  /** Subscribes on every sentinel; resolves once each has confirmed, or after `timeoutMs` for the slow ones. */
  async listen(links: FailoverLinks, sentinels: string[], timeoutMs: number): Promise<number> {
    const confirmed = await Promise.all(
      sentinels.map(async (addr) => {
        const sub = links.open('sentinel', addr, { subscriber: true });
        this.subscribers.push(sub);
        sub.on('message', (channel: string, message: string) => this.record(addr, channel, message));
        const timer = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
        const done = sub.subscribe(...FAILOVER_EVENTS).then(
          () => true,
          () => false,
        );
        return Promise.race([done, timer]);
      }),
    );
    return confirmed.filter(Boolean).length;
  }

  private record(sentinel: string, event: string, message: string): void {
    // Events about another monitored master are not this deployment's.
    const about = event === '+switch-master' ? message.split(' ')[0] : message.split(' @ ')[1]?.split(' ')[0];
    const own = message.split(' ');
    const ofMaster = own[0] === 'master' ? own[1] : undefined;
    if ((about ?? ofMaster) !== undefined && (about ?? ofMaster) !== this.masterName) return;
    this.events.push({ sentinel, event, message, at: Date.now() });
    for (const wake of this.waiters) wake();
  }

  /** The first +sdown / +odown of the master itself since `since` (a sentinel calls it down), from any sentinel. */
  masterDown(since: number): SentinelEvent | undefined {
    return this.find((e) => (e.event === '+sdown' || e.event === '+odown') && e.message.startsWith('master '), since);
  }

  find(event: string | ((e: SentinelEvent) => boolean), since = 0): SentinelEvent | undefined {
    const match = typeof event === 'string' ? (e: SentinelEvent) => e.event === event : event;
    return this.events.find((e) => e.at >= since && match(e));
  }

  /** Resolves at the next event (or after `ms`), so a waiting loop wakes at once when a sentinel speaks. */
  next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }

  close(): void {
    for (const sub of this.subscribers) sub.disconnect();
    this.subscribers.length = 0;
    for (const wake of this.waiters) wake();
  }
}
