// For the Sentinel failover tests and the demo: one NEW key per write (SET w:<n> <n>) through HAProxy's frontend, so
// an acknowledged write that a failover drops shows as a key missing on the new master.
import { Redis } from 'ioredis';

export interface SentinelLossWriterOptions {
  /** HAProxy's frontend, "host:port" (plain connection, not cluster mode). */
  frontend: string;
  password?: string;
  /** Target writes per second; default 2000. */
  perSecond?: number;
  /** Writes in flight at most; default 32. */
  maxInFlight?: number;
  /** The writer stops writing by itself after this many writes (acked or failed) or this long; defaults ∞ and 60 s. */
  maxWrites?: number;
  durationMs?: number;
  /** A write that gets no answer within this long failed (and the connection is dropped and made again); default 1000. */
  commandTimeoutMs?: number;
  /** Key prefix; default "w:". */
  prefix?: string;
  /** SET … EX <seconds> when given (the demo's keys expire); default no expiry. */
  expireSeconds?: number;
  /** Remember every acknowledged key for verify(); default true (the demo turns it off). */
  track?: boolean;
}

export interface SentinelWriteCounts {
  acked: number;
  /** Writes that got an error or no answer (READONLY, a closed connection, a timeout): never acknowledged. */
  failed: number;
  /** Failed writes by reason: "READONLY", "timeout", "closed" (connection closed or not ready), or the error's first word. */
  failedBy: Record<string, number>;
  reconnects: number;
  /** The longest time between two acknowledgements while the writer ran. */
  longestStallMs: number;
  writesPerSecond: number;
}

export interface SentinelLossReport extends SentinelWriteCounts {
  /** Acknowledged keys missing (or holding another value) on the master verify() was given. */
  lost: number;
  /** The first 20 of them. */
  lostKeys: string[];
}

export interface SentinelLossWriter {
  counts(): SentinelWriteCounts;
  /** False once stopped, by stop() or by its own bounds (maxWrites, durationMs). */
  isWriting(): boolean;
  /** Stop writing and wait for the writes in flight. */
  stop(): Promise<SentinelWriteCounts>;
  /** stop(), then read every acknowledged key on `masterAddr` ("host:port", e.g. the group's currentMaster()). */
  verify(masterAddr: string): Promise<SentinelLossReport>;
}

const isReadonly = (err: Error) => err.message.startsWith('READONLY');

function failureReason(err: Error): string {
  if (isReadonly(err)) return 'READONLY';
  if (/timed? ?out/i.test(err.message)) return 'timeout';
  if (/closed|not writeable|MaxRetriesPerRequest|Stream isn't writeable/i.test(err.message)) return 'closed';
  return err.message.split(' ')[0] ?? 'error';
}

export function startSentinelLossWriter(opts: SentinelLossWriterOptions): SentinelLossWriter {
  const [host, port] = splitAddr(opts.frontend);
  const perSecond = opts.perSecond ?? 2000;
  const maxInFlight = opts.maxInFlight ?? 32;
  const maxWrites = opts.maxWrites ?? Number.POSITIVE_INFINITY;
  const prefix = opts.prefix ?? 'w:';
  const track = opts.track ?? true;
  const client = new Redis({
    host,
    port,
    password: opts.password,
    protocol: 2,
    disableClientInfo: true,
    connectionName: 'sentinel-loss-writer',
    // A write on a closed connection is failed, never resent: a resend could land twice under one key.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    enableOfflineQueue: false,
    connectTimeout: 1000,
    commandTimeout: opts.commandTimeoutMs ?? 1000,
    retryStrategy: () => 50,
  });
  client.on('error', () => {});
  let reconnects = 0;
  client.on('reconnecting', () => reconnects++);

  const acked: number[] = [];
  let ackedCount = 0;
  let failed = 0;
  const failedBy: Record<string, number> = {};
  let seq = 0;
  let inFlight = 0;
  let stopped = false;
  const startedAt = Date.now();
  let stoppedAt = 0;
  let lastAck = startedAt;
  let longestStallMs = 0;
  let tokens = 0;
  let lastTick = startedAt;

  const send = () => {
    const n = ++seq;
    inFlight++;
    const key = `${prefix}${n}`;
    const write = opts.expireSeconds
      ? client.set(key, String(n), 'EX', opts.expireSeconds)
      : client.set(key, String(n));
    write
      .then(() => {
        const now = Date.now();
        longestStallMs = Math.max(longestStallMs, now - lastAck);
        lastAck = now;
        ackedCount++;
        if (track) acked.push(n);
      })
      .catch((err: Error) => {
        failed++;
        const reason = failureReason(err);
        failedBy[reason] = (failedBy[reason] ?? 0) + 1;
        // READONLY: the old master, now a replica. No answer: the node behind HAProxy may be frozen (SIGSTOP). Either
        // way drop the connection so ioredis reconnects and HAProxy routes anew; destroy, since a FIN would leave the
        // socket half closed until a frozen node answers.
        if ((reason === 'timeout' || reason === 'READONLY') && client.status === 'ready' && !client.stream.destroyed)
          client.stream.destroy();
      })
      .finally(() => {
        inFlight--;
      });
  };
  const tick = () => {
    const now = Date.now();
    // A token bucket capped at 100 ms of writes: no burst of the backlog after a reconnect.
    tokens = Math.min(tokens + ((now - lastTick) * perSecond) / 1000, Math.max(1, perSecond / 10));
    lastTick = now;
    if (stopped) return;
    if (now - startedAt >= (opts.durationMs ?? 60_000) || seq >= maxWrites) {
      finish();
      return;
    }
    if (client.status !== 'ready') return;
    while (tokens >= 1 && inFlight < maxInFlight && seq < maxWrites) {
      tokens--;
      send();
    }
  };
  const timer = setInterval(tick, 5);
  const finish = () => {
    if (stopped) return;
    stopped = true;
    stoppedAt = Date.now();
    clearInterval(timer);
  };

  const counts = (): SentinelWriteCounts => {
    const seconds = ((stoppedAt || Date.now()) - startedAt) / 1000;
    return {
      acked: ackedCount,
      failed,
      failedBy: { ...failedBy },
      reconnects,
      longestStallMs,
      writesPerSecond: seconds > 0 ? Math.round(ackedCount / seconds) : 0,
    };
  };

  let stopping: Promise<SentinelWriteCounts> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      finish();
      const deadline = Date.now() + 30_000;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      client.disconnect();
      if (inFlight > 0) throw new Error(`${inFlight} writes still in flight 30 s after the writer stopped`);
      return counts();
    })();
    return stopping;
  };

  return {
    counts,
    isWriting: () => !stopped,
    stop,
    async verify(masterAddr: string): Promise<SentinelLossReport> {
      const written = await stop();
      if (!track) throw new Error('the writer ran with track: false: nothing to verify');
      const [mHost, mPort] = splitAddr(masterAddr);
      const master = new Redis({
        host: mHost,
        port: mPort,
        password: opts.password,
        protocol: 2,
        maxRetriesPerRequest: 1,
      });
      master.on('error', () => {});
      try {
        let lost = 0;
        const lostKeys: string[] = [];
        for (let i = 0; i < acked.length; i += 1000) {
          const batch = acked.slice(i, i + 1000);
          const values = await master.mget(batch.map((n) => `${prefix}${n}`));
          batch.forEach((n, j) => {
            if (values[j] === String(n)) return;
            lost++;
            if (lostKeys.length < 20) lostKeys.push(`${prefix}${n}`);
          });
        }
        return { ...written, lost, lostKeys };
      } finally {
        master.disconnect();
      }
    },
  };
}

function splitAddr(addr: string): [string, number] {
  const i = addr.lastIndexOf(':');
  const port = Number(addr.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port)) throw new Error(`not a "host:port": ${addr}`);
  return [addr.slice(0, i), port];
}
