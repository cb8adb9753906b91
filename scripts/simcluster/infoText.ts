// INFO as redis-server 7.0 writes it (same sections, fields and order; ~5 KB), with the replication section following
// the simulated topology. The default reply is cached per node for the current second and topology generation.
import { memorySection, persistenceSection, statsSection } from './infoSections';
import type { SimNode, SimTopology } from './topology';

const DEFAULT_SECTIONS = [
  'server',
  'clients',
  'memory',
  'persistence',
  'stats',
  'replication',
  'cpu',
  'modules',
  'errorstats',
  'cluster',
  'keyspace',
] as const;
const ALL_SECTIONS = [...DEFAULT_SECTIONS.filter((s) => s !== 'modules'), 'commandstats', 'latencystats'];
const EVERYTHING = [...DEFAULT_SECTIONS, 'commandstats', 'latencystats'];

type Section = (node: SimNode, now: number) => string[];

/** Commands the simulated nodes report having served (commandstats, latencystats). */
const COMMANDS = ['cluster|nodes', 'cluster|info', 'info', 'ping', 'config|get', 'slowlog|get', 'latency|latest'];

export class InfoViews {
  private readonly cache = new Map<number, { second: number; generation: number; text: string }>();
  private readonly sections: Record<string, Section>;

  constructor(
    private readonly topology: SimTopology,
    private readonly version: string,
    private readonly maxmemory: number,
  ) {
    this.sections = {
      server: (n, now) => this.server(n, now),
      clients: (n) => this.clients(n),
      memory: (n) => memorySection(n, this.topology.nodes.length, this.maxmemory),
      persistence: (n, now) => persistenceSection(n, now),
      stats: (n, now) => statsSection(n, now, n.role === 'master' ? this.topology.replicasOf(n).length : 0),
      replication: (n, now) => this.replication(n, now),
      cpu: (n, now) => this.cpu(n, now),
      modules: () => [],
      errorstats: () => ['errorstat_MOVED:count=47', 'errorstat_NOAUTH:count=1'],
      cluster: () => ['cluster_enabled:1'],
      keyspace: () => [],
      commandstats: (n, now) => this.commandstats(n, now),
      latencystats: (n) => this.latencystats(n),
    };
  }

  /** INFO [section ...]: unknown section names are left out (an empty reply when none is known), as redis does. */
  text(node: SimNode, now: number, args: readonly string[]): string {
    const wanted = args.map((a) => a.toLowerCase());
    if (wanted.length === 0 || (wanted.length === 1 && wanted[0] === 'default')) return this.defaultText(node, now);
    const names = new Set<string>();
    for (const w of wanted) {
      if (w === 'all') for (const s of ALL_SECTIONS) names.add(s);
      else if (w === 'everything') for (const s of EVERYTHING) names.add(s);
      else if (w === 'default') for (const s of DEFAULT_SECTIONS) names.add(s);
      else if (w in this.sections) names.add(w);
    }
    return this.render(
      node,
      now,
      EVERYTHING.filter((s) => names.has(s)),
    );
  }

  private defaultText(node: SimNode, now: number): string {
    const second = Math.floor(now / 1000);
    const cached = this.cache.get(node.index);
    if (cached && cached.second === second && cached.generation === this.topology.generation) return cached.text;
    const text = this.render(node, now, DEFAULT_SECTIONS);
    this.cache.set(node.index, { second, generation: this.topology.generation, text });
    return text;
  }

  private render(node: SimNode, now: number, names: readonly string[]): string {
    const blocks: string[] = [];
    for (const name of names) {
      const section = this.sections[name];
      if (!section) continue;
      const title = name === 'cpu' ? 'CPU' : name.charAt(0).toUpperCase() + name.slice(1);
      blocks.push([`# ${title}`, ...section(node, now)].join('\r\n'));
    }
    return blocks.length ? `${blocks.join('\r\n\r\n')}\r\n` : '';
  }

  private uptime(n: SimNode, now: number): number {
    return Math.floor((now - n.startedAt) / 1000);
  }

  private server(n: SimNode, now: number): string[] {
    const up = this.uptime(n, now);
    return [
      `redis_version:${this.version}`,
      'redis_git_sha1:00000000',
      'redis_git_dirty:0',
      'redis_build_id:ae4d7c971a948f0',
      'redis_mode:cluster',
      'os:Linux 6.1.0-13-amd64 x86_64',
      'arch_bits:64',
      'monotonic_clock:POSIX clock_gettime',
      'multiplexing_api:epoll',
      'atomicvar_api:c11-builtin',
      'gcc_version:12.2.0',
      `process_id:${n.pid}`,
      'process_supervised:no',
      `run_id:${n.runId}`,
      `tcp_port:${n.port}`,
      `server_time_usec:${now * 1000}`,
      `uptime_in_seconds:${up}`,
      `uptime_in_days:${Math.floor(up / 86400)}`,
      'hz:10',
      'configured_hz:10',
      `lru_clock:${Math.floor(now / 1000) % 16777216}`,
      'executable:/usr/bin/redis-server',
      `config_file:/etc/redis/${n.port}/redis.conf`,
      'io_threads_active:0',
    ];
  }

  private clients(n: SimNode): string[] {
    return [
      `connected_clients:${2 + (n.index % 3)}`,
      `cluster_connections:${2 * (this.topology.nodes.length - 1)}`,
      'maxclients:10000',
      'client_recent_max_input_buffer:20480',
      'client_recent_max_output_buffer:0',
      'blocked_clients:0',
      'tracking_clients:0',
      'clients_in_timeout_table:0',
    ];
  }

  private replication(n: SimNode, now: number): string[] {
    const offset = this.topology.replOffset(n, now);
    const tail = [
      `master_replid:${n.replId}`,
      'master_replid2:0000000000000000000000000000000000000000',
      `master_repl_offset:${offset}`,
      'second_repl_offset:-1',
      'repl_backlog_active:1',
      'repl_backlog_size:1048576',
      `repl_backlog_first_byte_offset:${Math.max(1, offset - 1_048_575)}`,
      `repl_backlog_histlen:${Math.min(offset, 1_048_576)}`,
    ];
    if (n.role === 'master') {
      const online = this.topology.replicasOf(n).filter((r) => r.failure !== 'fail' && !r.down && !r.hung);
      return [
        'role:master',
        `connected_slaves:${online.length}`,
        ...online.map(
          (r, i) =>
            `slave${i}:ip=${r.host},port=${r.port},state=online,offset=${this.topology.replOffset(r, now)},lag=0`,
        ),
        'master_failover_state:no-failover',
        ...tail,
      ];
    }
    const master = this.topology.masterOf(n);
    const up = this.topology.linkUp(n);
    const downSince = Math.max(1, Math.floor((now - (master?.failedAt || now)) / 1000));
    return [
      'role:slave',
      `master_host:${master?.host ?? '?'}`,
      `master_port:${master?.port ?? 0}`,
      `master_link_status:${up ? 'up' : 'down'}`,
      `master_last_io_seconds_ago:${up ? ((now + n.phase) % 10000 < 5000 ? 0 : 1) : downSince}`,
      'master_sync_in_progress:0',
      `slave_read_repl_offset:${offset}`,
      `slave_repl_offset:${offset}`,
      ...(up ? [] : [`master_link_down_since_seconds:${downSince}`]),
      'slave_priority:100',
      'slave_read_only:1',
      'replica_announced:1',
      'connected_slaves:0',
      ...tail,
    ];
  }

  private cpu(n: SimNode, now: number): string[] {
    const up = this.uptime(n, now);
    const sys = (up * 0.0021 + n.index * 0.001).toFixed(6);
    const user = (up * 0.0034 + n.index * 0.001).toFixed(6);
    return [
      `used_cpu_sys:${sys}`,
      `used_cpu_user:${user}`,
      'used_cpu_sys_children:0.000000',
      'used_cpu_user_children:0.001665',
      `used_cpu_sys_main_thread:${sys}`,
      `used_cpu_user_main_thread:${user}`,
    ];
  }

  private commandstats(n: SimNode, now: number): string[] {
    const up = this.uptime(n, now);
    return COMMANDS.map((c, i) => {
      const calls = Math.floor(up / (i + 1)) + n.index;
      const usec = calls * (20 + i * 5);
      return `cmdstat_${c}:calls=${calls},usec=${usec},usec_per_call=${(usec / Math.max(1, calls)).toFixed(2)},rejected_calls=0,failed_calls=0`;
    });
  }

  private latencystats(n: SimNode): string[] {
    return COMMANDS.map((c, i) => {
      const p50 = 5 + ((n.index + i) % 20);
      return `latency_percentiles_usec_${c}:p50=${p50}.023,p99=${p50 * 4}.127,p99.9=${p50 * 9}.535`;
    });
  }
}
