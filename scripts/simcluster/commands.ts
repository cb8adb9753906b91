// What a simulated node answers to each command. Anything it does not simulate gets the error redis-server gives an
// unknown command or subcommand: never a crash, never silence.
import { keyHashSlot } from '../../lib/redis/crc16';
import type { ClusterViews } from './clusterText';
import type { InfoViews } from './infoText';
import { bulk, bulkParts, emptyArray, encode, error, integer, nil, ok, simple, type Value, type Wire } from './resp';
import type { SimNode, SimTopology } from './topology';

export interface SimContext {
  topology: SimTopology;
  clusterViews: ClusterViews;
  infoViews: InfoViews;
  password: string | undefined;
  version: string;
  slowlogEntries: number;
  maxmemory: number;
}

export interface Session {
  authed: boolean;
  name: string | undefined;
  id: number;
  /** The client's address (CLIENT INFO). */
  peer: string;
}

function unknownCommand(args: readonly string[]): string {
  const rest = args
    .slice(1)
    .map((a) => `'${a.slice(0, 128)}' `)
    .join('');
  return error(`ERR unknown command '${args[0] ?? ''}', with args beginning with: ${rest}`);
}

const unknownSubcommand = (sub: string, command: string) =>
  error(`ERR unknown subcommand '${sub}'. Try ${command} HELP.`);
const wrongArity = (command: string) => error(`ERR wrong number of arguments for '${command}' command`);

/** The CONFIG GET table: what redis-server 7.0.15 reports for the parameters the dashboard reads, and a few more. */
function configTable(ctx: SimContext, node: SimNode): Array<[string, string]> {
  return [
    ['cluster-enabled', 'yes'],
    ['cluster-config-file', `nodes-${node.port}.conf`],
    ['cluster-node-timeout', String(ctx.topology.nodeTimeoutMs)],
    ['cluster-port', '0'],
    ['cluster-replica-validity-factor', '10'],
    ['cluster-slave-validity-factor', '10'],
    ['cluster-migration-barrier', '1'],
    ['cluster-require-full-coverage', 'yes'],
    ['cluster-replica-no-failover', 'no'],
    ['cluster-slave-no-failover', 'no'],
    ['cluster-allow-reads-when-down', 'no'],
    ['cluster-allow-pubsubshard-when-down', 'yes'],
    ['cluster-allow-replica-migration', 'yes'],
    ['cluster-announce-ip', ''],
    ['cluster-announce-port', '0'],
    ['cluster-announce-bus-port', '0'],
    ['cluster-announce-tls-port', '0'],
    ['cluster-announce-hostname', ''],
    ['cluster-preferred-endpoint-type', 'ip'],
    ['cluster-link-sendbuf-limit', '0'],
    ['save', '3600 1 300 100 60 10000'],
    ['appendonly', 'no'],
    ['latency-monitor-threshold', '0'],
    ['latency-tracking', 'yes'],
    ['latency-tracking-info-percentiles', '50 99 99.9'],
    ['slowlog-log-slower-than', '10000'],
    ['slowlog-max-len', '128'],
    ['maxmemory', String(ctx.maxmemory)],
    ['maxmemory-policy', 'noeviction'],
    ['maxclients', '10000'],
    ['timeout', '0'],
    ['hz', '10'],
    ['port', String(node.port)],
    ['bind', node.host],
    ['databases', '16'],
    ['repl-backlog-size', '1048576'],
    ['repl-timeout', '60'],
    ['replica-priority', '100'],
    ['replica-read-only', 'yes'],
    ['min-replicas-to-write', '0'],
    ['min-replicas-max-lag', '10'],
    ['io-threads', '1'],
  ];
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function configGet(ctx: SimContext, node: SimNode, patterns: readonly string[]): Wire {
  if (patterns.length === 0) return wrongArity('config|get');
  const matchers = patterns.map(globToRegExp);
  const out: Value[] = [];
  for (const [name, value] of configTable(ctx, node)) if (matchers.some((m) => m.test(name))) out.push(name, value);
  return encode(out);
}

function slowlog(ctx: SimContext, node: SimNode, args: readonly string[], now: number): Wire {
  const sub = (args[1] ?? '').toUpperCase();
  const total = ctx.slowlogEntries;
  if (sub === 'LEN') return integer(total);
  if (sub === 'RESET') return ok;
  if (sub !== 'GET') return unknownSubcommand(args[1] ?? '', 'SLOWLOG');
  const count = args[2] === undefined ? 10 : Number(args[2]);
  if (!Number.isInteger(count) || count < -1) return error('ERR count should be greater than or equal to -1');
  const entries: Value[] = [];
  const shown = count === -1 ? total : Math.min(count, total);
  for (let i = 0; i < shown; i++) {
    const id = total - 1 - i;
    const at = Math.floor((now - (i + 1) * 60_000 - node.phase * 10) / 1000);
    entries.push([id, at, 10_000 + ((node.index * 131 + id * 977) % 90_000), ['KEYS', '*'], '127.0.0.1:50000', '']);
  }
  return encode(entries);
}

function cluster(ctx: SimContext, node: SimNode, args: readonly string[], now: number): Wire {
  const sub = (args[1] ?? '').toUpperCase();
  const { topology, clusterViews } = ctx;
  switch (sub) {
    case 'NODES':
      return bulkParts(clusterViews.nodes(node, now));
    case 'INFO':
      return bulk(clusterViews.info(node, now));
    case 'MYID':
      return bulk(node.id);
    case 'SLOTS':
      return encode(clusterViews.slots());
    case 'SHARDS':
      return encode(clusterViews.shards(now));
    case 'LINKS':
      return encode(clusterViews.links(node));
    case 'KEYSLOT':
      return args[2] === undefined ? wrongArity('cluster|keyslot') : integer(keyHashSlot(args[2]));
    case 'COUNTKEYSINSLOT': {
      const slot = Number(args[2]);
      return Number.isInteger(slot) && slot >= 0 && slot < 16384 ? integer(0) : error('ERR Invalid slot');
    }
    case 'GETKEYSINSLOT':
      return emptyArray;
    case 'COUNT-FAILURE-REPORTS': {
      const target = topology.get(args[2] ?? '');
      if (!target) return error(`ERR Unknown node ${args[2] ?? ''}`);
      const masters = topology.nodes.filter((n) => n.role === 'master' && n !== target && n.failure === 'ok');
      return integer(target.failure === 'ok' ? 0 : masters.length);
    }
    case 'REPLICAS':
    case 'SLAVES': {
      const master = topology.get(args[2] ?? '');
      if (!master) return error(`ERR Unknown node ${args[2] ?? ''}`);
      if (master.role !== 'master') return error('ERR The specified node is not a master');
      return encode(topology.replicasOf(master).map((r) => clusterViews.lineOf(r, now)));
    }
    case 'MYSHARDID':
      return unknownSubcommand(args[1] ?? '', 'CLUSTER');
    default:
      if (sub === '') return wrongArity('cluster');
      if (
        /^(SETSLOT|ADDSLOTS|ADDSLOTSRANGE|DELSLOTS|DELSLOTSRANGE|MEET|FORGET|REPLICATE|FAILOVER|RESET|SET-CONFIG-EPOCH|BUMPEPOCH|FLUSHSLOTS|SAVECONFIG)$/.test(
          sub,
        )
      )
        return error(`ERR the cluster simulator does not change its topology on CLUSTER ${sub}`);
      return unknownSubcommand(args[1] ?? '', 'CLUSTER');
  }
}

/** A command of an authenticated session (or of any session when no password is set). */
function execute(ctx: SimContext, node: SimNode, session: Session, args: readonly string[]): Wire {
  const name = (args[0] ?? '').toUpperCase();
  const now = Date.now();
  switch (name) {
    case 'PING':
      return args[1] === undefined ? simple('PONG') : bulk(args[1]);
    case 'ECHO':
      return args[1] === undefined ? wrongArity('echo') : bulk(args[1]);
    case 'CLUSTER':
      return cluster(ctx, node, args, now);
    case 'INFO':
      return bulk(ctx.infoViews.text(node, now, args.slice(1)));
    case 'CONFIG': {
      const sub = (args[1] ?? '').toUpperCase();
      if (sub === 'GET') return configGet(ctx, node, args.slice(2));
      if (sub === 'SET' || sub === 'REWRITE' || sub === 'RESETSTAT')
        return error(`ERR the cluster simulator does not change its configuration (CONFIG ${sub})`);
      return unknownSubcommand(args[1] ?? '', 'CONFIG');
    }
    case 'SLOWLOG':
      return slowlog(ctx, node, args, now);
    case 'LATENCY': {
      const sub = (args[1] ?? '').toUpperCase();
      if (sub === 'LATEST' || sub === 'HISTORY') return emptyArray;
      if (sub === 'RESET') return integer(0);
      if (sub === 'DOCTOR') return bulk('Dave, no latency spike was observed during the lifetime of this instance.\n');
      return unknownSubcommand(args[1] ?? '', 'LATENCY');
    }
    case 'CLIENT': {
      const sub = (args[1] ?? '').toUpperCase();
      if (sub === 'SETNAME') {
        session.name = args[2] ?? '';
        return ok;
      }
      if (sub === 'SETINFO') return ok;
      if (sub === 'GETNAME') return session.name ? bulk(session.name) : nil;
      if (sub === 'ID') return integer(session.id);
      if (sub === 'INFO' || sub === 'LIST')
        return bulk(
          `id=${session.id} addr=${session.peer} laddr=${node.host}:${node.port} fd=8 name=${session.name ?? ''} age=0 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=20448 argv-mem=10 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=22298 events=r cmd=client|${sub.toLowerCase()} user=default redir=-1 resp=2\n`,
        );
      return unknownSubcommand(args[1] ?? '', 'CLIENT');
    }
    case 'DBSIZE':
      return integer(0);
    case 'SCAN':
      return encode(['0', []]);
    case 'SELECT':
      return args[1] === '0' ? ok : error('ERR SELECT is not allowed in cluster mode');
    case 'READONLY':
    case 'READWRITE':
      return ok;
    case 'TIME': {
      const us = BigInt(now) * 1000n;
      return encode([String(us / 1_000_000n), String(us % 1_000_000n)]);
    }
    case 'ROLE':
      return node.role === 'master'
        ? encode(['master', ctx.topology.replOffset(node, now), []])
        : encode([
            'slave',
            ctx.topology.masterOf(node)?.host ?? '',
            ctx.topology.masterOf(node)?.port ?? 0,
            'connected',
            ctx.topology.replOffset(node, now),
          ]);
    case 'COMMAND':
      return (args[1] ?? '').toUpperCase() === 'COUNT' ? integer(0) : emptyArray;
    case 'GET':
    case 'TYPE':
    case 'TTL':
    case 'EXISTS':
    case 'MEMORY':
      return keyCommand(ctx, node, name, args);
    default:
      return unknownCommand(args);
  }
}

/** Reads of keys: the simulated nodes hold none; a key of a slot served elsewhere is MOVED there. */
function keyCommand(ctx: SimContext, node: SimNode, name: string, args: readonly string[]): Wire {
  const key = name === 'MEMORY' ? args[2] : args[1];
  if (key === undefined) return wrongArity(name.toLowerCase());
  const slot = keyHashSlot(key);
  const owner = ctx.topology.nodes.find((n) => n.role === 'master' && n.slots.some(([a, b]) => slot >= a && slot <= b));
  const servedHere = owner === node || (owner !== undefined && node.masterId === owner.id);
  if (owner && !servedHere) return error(`MOVED ${slot} ${owner.host}:${owner.port}`);
  if (name === 'TYPE') return simple('none');
  if (name === 'TTL') return integer(-2);
  if (name === 'EXISTS') return integer(0);
  return nil;
}

/** One command on a session: AUTH, HELLO and QUIT first, then NOAUTH until authenticated. */
export function answer(ctx: SimContext, node: SimNode, session: Session, args: readonly string[]): Wire | 'quit' {
  const name = (args[0] ?? '').toUpperCase();
  if (name === 'QUIT') return 'quit';
  if (name === 'AUTH') {
    if (args.length < 2 || args.length > 3) return wrongArity('auth');
    if (ctx.password === undefined)
      return error(
        'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
      );
    const user = args.length === 3 ? args[1] : 'default';
    const password = args.length === 3 ? args[2] : args[1];
    if (user !== 'default' || password !== ctx.password)
      return error('WRONGPASS invalid username-password pair or user is disabled.');
    session.authed = true;
    return ok;
  }
  if (name === 'HELLO') {
    const version = args[1];
    if (version !== undefined && version !== '2')
      return error('NOPROTO sorry, this protocol version is not supported.');
    if (!session.authed && ctx.password !== undefined)
      return error(
        'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
      );
    return encode([
      'server',
      'redis',
      'version',
      ctx.version,
      'proto',
      2,
      'id',
      session.id,
      'mode',
      'cluster',
      'role',
      node.role === 'master' ? 'master' : 'replica',
      'modules',
      [],
    ]);
  }
  if (!session.authed && ctx.password !== undefined) return error('NOAUTH Authentication required.');
  return execute(ctx, node, session, args);
}
