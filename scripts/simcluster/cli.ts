// A simulated cluster to point a dashboard at by hand; keeps running until Ctrl-C.
//   npx tsx scripts/simcluster/cli.ts --nodes 300 [--replicas 1] [--password pw] [--hosts 10]
// Prints a config snippet (one seed, the password) for dashboard.config.json.
import { parseArgs } from 'node:util';
import { DEFAULT_SIM_HOSTS, startSimCluster } from './index';

const USAGE = `npx tsx scripts/simcluster/cli.ts [--nodes 300] [--replicas 1] [--password pw] [--hosts 10]
  --nodes     total nodes (masters = nodes / (1 + replicas))
  --replicas  replicas per master
  --hosts     how many loopback addresses to spread the nodes over (127.0.0.101, 127.0.0.102, ...)`;

let values: { nodes: string; replicas: string; hosts: string; password?: string; help?: boolean };
try {
  values = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h' },
      nodes: { type: 'string', default: '300' },
      replicas: { type: 'string', default: '1' },
      hosts: { type: 'string', default: '10' },
      password: { type: 'string' },
    },
  }).values;
} catch (err) {
  console.error(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const replicasPerMaster = Number(values.replicas);
const masters = Math.max(1, Math.floor(Number(values.nodes) / (1 + replicasPerMaster)));
const hosts = DEFAULT_SIM_HOSTS.slice(0, Math.max(1, Math.min(DEFAULT_SIM_HOSTS.length, Number(values.hosts))));
const started = Date.now();
const sim = await startSimCluster({ masters, replicasPerMaster, hosts, password: values.password });
const seed = sim.nodes[0]?.addr ?? '';
console.log(
  `${sim.nodes.length} simulated nodes (${masters} masters) up in ${Date.now() - started} ms, simulator pid ${sim.pid}`,
);
console.log('dashboard.config.json cluster entry:');
console.log(
  JSON.stringify(
    {
      id: 'sim',
      name: `Simulated ${sim.nodes.length} nodes`,
      seeds: [seed],
      ...(sim.password ? { password: sim.password } : {}),
    },
    null,
    2,
  ),
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await sim.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
