// A small steady load so the demo's numbers move: SET/GET/INCR over a pool of keys through a cluster client.
import { Cluster } from 'ioredis';

export interface WriterOptions {
  seeds: Array<{ host: string; port: number }>;
  password?: string;
  /** Writes per second, roughly. */
  rate: number;
  keys?: number;
}

export interface Writer {
  stop(): Promise<void>;
  stats(): { ok: number; errors: number };
}

export function startWriter(options: WriterOptions): Writer {
  const cluster = new Cluster(options.seeds, {
    redisOptions: { password: options.password, protocol: 2, disableClientInfo: true, connectionName: 'demo-writer' },
    enableOfflineQueue: true,
  });
  cluster.on('error', () => {});
  const keys = options.keys ?? 5000;
  const tickMs = 100;
  const perTick = Math.max(1, Math.round((options.rate * tickMs) / 1000));
  let ok = 0;
  let errors = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < perTick; i++) {
      const n = Math.floor(Math.random() * keys);
      const op =
        i % 5 === 0
          ? cluster.incr(`demo:counter:${n % 100}`)
          : cluster.set(`demo:key:${n}`, 'x'.repeat(16 + (n % 512)), 'EX', 3600);
      op.then(() => ok++).catch(() => errors++);
      if (i % 3 === 0) cluster.get(`demo:key:${(n * 7) % keys}`).catch(() => errors++);
    }
  }, tickMs);
  return {
    stats: () => ({ ok, errors }),
    stop: async () => {
      clearInterval(timer);
      await cluster.quit().catch(() => cluster.disconnect());
    },
  };
}
