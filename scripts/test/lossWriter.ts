import type { Cluster } from 'ioredis';

// For loss tests (failover now; reshard and rebalance next): a write lost anywhere must show, so no key is ever
// written twice.

export interface LossReport {
  acked: number;
  /** Acknowledged keys that read back missing or with another value (first 20 named). */
  lost: number;
  lostKeys: string[];
  longestStallMs: number;
  writesPerSecond: number;
}

const keyOf = (n: number) => `loss:{${n}}`;

/**
 * Writes `loss:{n}` = n with n counting up, one NEW key per write (the hash tag spreads them over every shard), at most
 * `maxInFlight` at a time and about `maxPerSecond`; remembers every acknowledged n. `stop()` waits for the writes in
 * flight, then reads every acknowledged key back.
 */
export function startLossWriter(client: Cluster, maxPerSecond = 10_000, maxInFlight = 64) {
  const acked: number[] = [];
  const startedAt = Date.now();
  let seq = 0;
  let inFlight = 0;
  let stopped = false;
  let lastAck = startedAt;
  let longestStallMs = 0;
  const send = () => {
    const n = ++seq;
    inFlight++;
    client
      .set(keyOf(n), String(n))
      .then(() => {
        const now = Date.now();
        longestStallMs = Math.max(longestStallMs, now - lastAck);
        lastAck = now;
        acked.push(n);
      })
      .catch(() => {})
      .finally(() => {
        inFlight--;
        pump();
      });
  };
  const pump = () => {
    if (stopped) return;
    const budget = Math.floor(((Date.now() - startedAt) * maxPerSecond) / 1000) - seq;
    for (let i = Math.min(budget, maxInFlight - inFlight); i > 0; i--) send();
  };
  const timer = setInterval(pump, 5);

  return {
    ackedCount: () => acked.length,
    async stop(): Promise<LossReport> {
      stopped = true;
      clearInterval(timer);
      const stoppedAt = Date.now();
      const deadline = stoppedAt + 30_000;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      if (inFlight > 0) throw new Error(`${inFlight} writes still in flight 30 s after the writer stopped`);
      const lostKeys: string[] = [];
      let lost = 0;
      for (let i = 0; i < acked.length; i += 1000) {
        const batch = acked.slice(i, i + 1000);
        const values = await Promise.all(batch.map((n) => client.get(keyOf(n))));
        batch.forEach((n, j) => {
          if (values[j] === String(n)) return;
          lost++;
          if (lostKeys.length < 20) lostKeys.push(keyOf(n));
        });
      }
      return {
        acked: acked.length,
        lost,
        lostKeys,
        longestStallMs,
        writesPerSecond: Math.round(acked.length / ((stoppedAt - startedAt) / 1000)),
      };
    },
  };
}
