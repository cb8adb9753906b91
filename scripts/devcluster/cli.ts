// Start a local cluster and keep it until Ctrl-C:  npm run cluster -- --masters 3 --replicas 1 --hosts 3 [--password pw]
import { parseArgs } from 'node:util';
import { startDevCluster } from './cluster';

const { values } = parseArgs({
  options: {
    masters: { type: 'string', default: '3' },
    replicas: { type: 'string', default: '1' },
    hosts: { type: 'string', default: '1' },
    password: { type: 'string' },
    'node-timeout': { type: 'string', default: '5000' },
    empty: { type: 'string', default: '0' },
  },
});

const hostCount = Number(values.hosts);
const hosts = Array.from({ length: hostCount }, (_, i) => `127.0.0.${i + 1}`);
const started = Date.now();
const cluster = await startDevCluster({
  masters: Number(values.masters),
  replicasPerMaster: Number(values.replicas),
  hosts,
  password: values.password,
  nodeTimeoutMs: Number(values['node-timeout']),
});
for (let i = 0; i < Number(values.empty); i++) await cluster.startEmptyNode(hosts[i % hosts.length]);
console.log(`cluster ok in ${Date.now() - started} ms, data in ${cluster.dir}`);
for (const n of cluster.nodes) console.log(`${n.role.padEnd(7)} ${n.addr.padEnd(20)} pid ${n.pid} id ${n.id}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await cluster.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
