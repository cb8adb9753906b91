// Start a local cluster and keep it until Ctrl-C:  npm run cluster -- --masters 3 --replicas 1 --hosts 3 [--password pw]
import { parseArgs } from 'node:util';
import { startDevCluster } from './cluster';

const USAGE = `npm run cluster -- [--masters 3] [--replicas 1] [--hosts 1] [--password pw] [--node-timeout 5000] [--empty 0]
  Starts a local cluster (hosts are 127.0.0.1, 127.0.0.2, …), prints each node's address, pid and id, and stops it on
  Ctrl-C. --empty starts that many cluster-enabled nodes that have not joined (to add with CLUSTER MEET).`;

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      help: { type: 'boolean', short: 'h' },
      masters: { type: 'string', default: '3' },
      replicas: { type: 'string', default: '1' },
      hosts: { type: 'string', default: '1' },
      password: { type: 'string' },
      'node-timeout': { type: 'string', default: '5000' },
      empty: { type: 'string', default: '0' },
    },
  });
}
try {
  parsed = parse();
} catch (err) {
  console.error(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
  process.exit(2);
}
const { values } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

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
