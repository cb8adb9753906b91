// `npm run demo`: a password-protected 3-master/3-replica cluster over three loopback "hosts", a small writer,
// and the dashboard on http://127.0.0.1:${PORT:-3000} pointed at it. Ctrl-C stops everything it started.
// `npm run demo -- --sentinel` also starts a Sentinel deployment (master, 2 replicas, 3 sentinels, HAProxy).

import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { spawnDashboard } from './dashboardProcess';
import { startDevCluster } from './devcluster/cluster';
import { type DemoSentinel, startDemoSentinel } from './sentinelgroup/demoSentinel';
import { startWriter } from './writer';

const port = Number(process.env.PORT ?? 3000);
const withSentinel = process.argv.slice(2).includes('--sentinel');
const dir = path.resolve('.demo');

function portFree(p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(p, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

if (!(await portFree(port))) {
  console.error(`demo: port ${port} is in use; free it or run PORT=3001 npm run demo`);
  process.exit(1);
}

const password = randomBytes(12).toString('base64url');
console.log('demo: starting a 3-master/3-replica cluster on 127.0.0.1, 127.0.0.2, 127.0.0.3 ...');
const cluster = await startDevCluster({
  masters: 3,
  replicasPerMaster: 1,
  hosts: ['127.0.0.1', '127.0.0.2', '127.0.0.3'],
  password,
  nodeTimeoutMs: 5000,
  extraConfig: { 'latency-monitor-threshold': '25', maxmemory: '256mb', 'maxmemory-policy': 'allkeys-lru' },
});
for (const n of cluster.nodes) console.log(`  ${n.role.padEnd(7)} ${n.addr.padEnd(18)} pid ${n.pid}`);

let sentinel: DemoSentinel | undefined;
if (withSentinel) {
  console.log('demo: starting a Sentinel deployment: a master, 2 replicas, 3 sentinels and HAProxy ...');
  try {
    sentinel = await startDemoSentinel();
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  for (const line of sentinel.lines) console.log(line);
}

await mkdir(dir, { recursive: true });
const configPath = path.join(dir, 'dashboard.config.json');
const adminPassword = randomBytes(12).toString('base64url');
const kioskToken = randomBytes(24).toString('base64url');
const config = {
  clusters: [
    {
      id: 'demo',
      name: 'Local demo cluster',
      seeds: cluster.nodes.slice(0, 3).map((n) => n.addr),
      passwordEnv: 'DEMO_REDIS_PASSWORD',
    },
    ...(sentinel ? [sentinel.entry] : []),
  ],
  users: [{ name: 'admin', role: 'admin', passwordHash: await bcrypt.hash(adminPassword, 12) }],
  kioskToken,
  auditLogPath: 'audit.log.jsonl',
};
await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });

const writer = startWriter({
  seeds: cluster.masters.map((n) => ({ host: n.host, port: n.port })),
  password,
  rate: 300,
});
const { child: server } = spawnDashboard({
  configPath,
  port,
  env: {
    DEMO_REDIS_PASSWORD: password,
    DASHBOARD_SESSION_SECRET: randomBytes(32).toString('base64url'),
    ...sentinel?.env,
  },
});

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  const what = sentinel ? 'the writers, the Sentinel deployment and the cluster' : 'the writer and the cluster';
  console.log(`\ndemo: stopping the dashboard, ${what} ...`);
  server.kill('SIGTERM');
  await writer.stop();
  await sentinel?.stop();
  await cluster.stop();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
server.on('exit', (code) => void stop(code ?? 1));
const base = `http://127.0.0.1:${port}`;
console.log(`
demo: dashboard on ${base}/clusters/demo  (config ${path.relative(process.cwd(), configPath)}; Ctrl-C stops all)
demo: log in as admin with password ${adminPassword}   (shown once; the config keeps only a bcrypt hash)
demo: wall screen without a login: ${base}/wall?kiosk=${kioskToken}${sentinel ? `\ndemo: Sentinel deployment: ${base}/clusters/sentinel-demo` : ''}
`);
