// A writer in a process of its own (so the dashboard's event loop never delays its replies): one new key per SET at
// about `rate` a second through a cluster client, each write's latency kept with when it was sent (epoch ms). On
// "stop" on stdin it stops, reads every acknowledged key back and writes { samples, acked, lost } as JSON to `out`.
// Usage: node latencyWriter.mjs '{"seeds":[{"host":"127.0.0.1","port":7000}],"password":"pw","rate":2000,"out":"f"}'
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Cluster } from 'ioredis';

const { seeds, password, rate, out, prefix = 'bench' } = JSON.parse(process.argv[2] ?? '{}');
const client = new Cluster(seeds, {
  redisOptions: { password, protocol: 2, disableClientInfo: true, connectionName: 'bench-writer' },
  scaleReads: 'master',
});
client.on('error', () => {});
const now = () => performance.timeOrigin + performance.now();
const samples = [];
const acked = [];
let seq = 0;
let inFlight = 0;
const started = performance.now();
const keyOf = (n) => `${prefix}:{${n}}`;
const timer = setInterval(() => {
  const due = Math.floor(((performance.now() - started) * rate) / 1000) - seq;
  for (let i = 0; i < Math.min(due, 256 - inFlight); i++) {
    const n = ++seq;
    const at = now();
    inFlight++;
    client
      .set(keyOf(n), String(n))
      .then(() => {
        samples.push([Math.round(at * 10) / 10, Math.round((now() - at) * 1000) / 1000, n]);
        acked.push(n);
      })
      .catch(() => {})
      .finally(() => {
        inFlight--;
      });
  }
}, 2);

createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line.trim() !== 'stop') return;
  clearInterval(timer);
  const deadline = Date.now() + 30_000;
  while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  let lost = 0;
  for (let i = 0; i < acked.length; i += 1000) {
    const batch = acked.slice(i, i + 1000);
    const values = await Promise.all(batch.map((n) => client.get(keyOf(n)).catch(() => null)));
    lost += values.filter((v, j) => v !== String(batch[j])).length;
  }
  writeFileSync(out, JSON.stringify({ samples, acked: acked.length, lost }));
  client.disconnect();
  process.exit(0);
});
