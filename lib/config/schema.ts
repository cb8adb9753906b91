import { z } from 'zod';
import { parseHostRule } from '../net/allowedHost';
import { parseNetwork } from '../net/ip';
import { invalidRename } from '../redis/commandRenames';
import { parseTargetRule } from '../security/targetRule';
import { parseNodeNetwork } from './nodeNetworks';

/** "host:port", IPv6 hosts in brackets ("[::1]:7000"). */
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/;

export const HostPort = z.string().superRefine((value, ctx) => {
  const match = HOST_PORT.exec(value);
  if (!match) ctx.addIssue({ code: 'custom', message: 'expected "host:port"' });
  else if (Number(match[2]) < 1 || Number(match[2]) > 65535)
    ctx.addIssue({ code: 'custom', message: 'port must be 1-65535' });
});

/** Split "host:port" (brackets removed from IPv6 hosts). Only for strings that passed HostPort. */
export function splitHostPort(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(':');
  return { host: value.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(value.slice(colon + 1)) };
}

export const TlsConfig = z.strictObject({
  /** PEM files, read once at start-up. */
  caFile: z.string().min(1).optional(),
  certFile: z.string().min(1).optional(),
  keyFile: z.string().min(1).optional(),
  /** SNI name and the name the certificate is checked against. */
  servername: z.string().min(1).optional(),
  /** Keep true in production: false accepts any certificate. */
  rejectUnauthorized: z.boolean().default(true),
});
export type TlsConfig = z.infer<typeof TlsConfig>;

/** An allow-list entry for user-typed addresses; see lib/security/targetRule.ts. */
export const AllowedTarget = z.string().superRefine((value, ctx) => {
  const rule = parseTargetRule(value);
  if (typeof rule === 'string') ctx.addIssue({ code: 'custom', message: rule });
});

/** A `nodeNetworks` entry; see lib/config/nodeNetworks.ts. */
export const NodeNetworkEntry = z.string().superRefine((value, ctx) => {
  const network = parseNodeNetwork(value);
  if (typeof network === 'string') ctx.addIssue({ code: 'custom', message: network });
});

/** A proxy whose X-Forwarded-For / -Proto / -Host are believed: "10.0.0.5", "10.0.0.0/8", "fd00::/8". */
export const TrustedProxy = z.string().superRefine((value, ctx) => {
  const network = parseNetwork(value);
  if (typeof network === 'string') ctx.addIssue({ code: 'custom', message: network });
});

/** A Host a browser may use to reach the dashboard: "dash.example.com", "dash.example.com:8443", "[::1]". */
export const AllowedHost = z.string().superRefine((value, ctx) => {
  if (!parseHostRule(value))
    ctx.addIssue({ code: 'custom', message: 'expected a host name or IP address, optionally ":port"' });
});

/** A commandRenames value: the node's name for the command ("{port}" expanded), or "" for disabled. */
export const CommandRename = z.string().superRefine((value, ctx) => {
  const problem = invalidRename(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const Role = z.enum(['viewer', 'operator', 'admin']);
export type Role = z.infer<typeof Role>;

export const UserConfig = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'letters, digits, ".", "_", "@", "-", up to 64'),
  role: Role,
  passwordHash: z
    .string()
    .regex(
      /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/,
      'a bcrypt hash, as printed by `npm run --silent hash-password -- <password>`',
    ),
});
export type UserConfig = z.infer<typeof UserConfig>;

/** Path segments under /clusters and /api/clusters that are pages or routes of their own, not cluster ids. */
export const RESERVED_CLUSTER_IDS: readonly string[] = ['create'];

const DeploymentId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, "-" and "_", up to 64')
  .refine((id) => !RESERVED_CLUSTER_IDS.includes(id), {
    message: `reserved: /clusters/create is the page that creates a cluster; choose another id`,
  });

const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');

export const ClusterConfig = z
  .strictObject({
    /** Optional: an entry without "kind" is a cluster. */
    kind: z.literal('cluster').optional(),
    id: DeploymentId,
    name: z.string().min(1).max(100),
    seeds: z.array(HostPort).min(1, 'at least one seed "host:port"'),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    /** Name of an environment variable holding the password (keeps it out of the file). */
    passwordEnv: EnvName.optional(),
    tls: TlsConfig.optional(),
    /** Announced "host:port" (as in CLUSTER NODES) -> the "host:port" this dashboard can reach. */
    natMap: z.record(HostPort, HostPort).default({}),
    pollIntervalMs: z.number().int().min(250).max(60_000).default(1000),
    /** Per-node deadline for one poll; a node slower than this is reported unreachable for that poll. */
    nodeDeadlineMs: z.number().int().min(100).max(30_000).default(1000),
    connectTimeoutMs: z.number().int().min(100).max(60_000).default(2000),
    /** How much history to keep per node, in minutes (memory grows with it; see the README). */
    historyMinutes: z.number().int().min(5).max(1440).default(60),
    /** PING every this many ms per node for latency (as redis-cli --latency); 0 turns the sampler off. */
    latencySampleMs: z.number().int().min(0).max(60_000).default(250),
    /**
     * Where CLUSTER SLOT-STATS is not available (Redis 7, or refused), key counts per slot for the slot map's heat
     * mode come from a CLUSTER COUNTKEYSINSLOT sweep of each master's own slots every this many minutes; 0 = none.
     */
    slotHeatSweepMinutes: z.number().int().min(0).max(1440).default(5),
    /**
     * Addresses a user may type as a target (a node to add). Empty = only current members of the cluster.
     * Loopback and private ranges are NOT implied.
     */
    allowedTargets: z.array(AllowedTarget).default([]),
    /**
     * Where a node announced in CLUSTER NODES may be: the dashboard connects (with the cluster's password) only to
     * addresses inside these networks, after the natMap; seeds and natMap targets always. A node outside is shown, not
     * polled, and reported. Default: the /24 (IPv4) or /64 (IPv6) of every seed and natMap target (a host name allows
     * that exact name).
     */
    nodeNetworks: z
      .array(NodeNetworkEntry)
      .min(1, 'at least one network; leave the field out for the default')
      .optional(),
    /**
     * The nodes' rename-command lines: { "CONFIG": "CONFIG_{port}", "FLUSHALL": "" }. "{port}" is each node's own port;
     * "" = disabled (nothing is sent; the features using it skip the node and say so). Used by every command sent.
     */
    commandRenames: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'a command name'), CommandRename).default({}),
  })
  .refine((c) => !(c.password !== undefined && c.passwordEnv !== undefined), {
    message: 'give password or passwordEnv, not both',
    path: ['passwordEnv'],
  });
export type ClusterConfig = z.infer<typeof ClusterConfig>;

/** HAProxy in front of a Sentinel deployment: where its stats are read, and which backend carries the clients. */
export const HaproxyConfig = z
  .strictObject({
    /** The stats socket ("stats socket /run/haproxy/admin.sock" in haproxy.cfg); `show stat` is sent on it. */
    statsSocket: z.string().min(1).optional(),
    /** The stats page's CSV export, e.g. "http://10.0.0.5:8404/stats;csv". */
    statsUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** The backend (pxname in the stats) whose servers are the Redis nodes. */
    backend: z.string().min(1),
  })
  .refine((h) => (h.statsSocket === undefined) !== (h.statsUrl === undefined), {
    message: 'give statsSocket or statsUrl, one of them',
    path: ['statsSocket'],
  });
export type HaproxyConfig = z.infer<typeof HaproxyConfig>;

/** A Sentinel deployment: a master and its replicas watched by redis-sentinel processes, maybe HAProxy in front. */
export const SentinelConfig = z
  .strictObject({
    kind: z.literal('sentinel'),
    id: DeploymentId,
    name: z.string().min(1).max(100),
    /** Every sentinel, "host:port" (26379 by default on the sentinels). */
    sentinels: z.array(HostPort).min(1, 'at least one sentinel "host:port"'),
    /** The name the sentinels monitor the master by (`sentinel monitor <masterName> …`). */
    masterName: z.string().min(1).max(200),
    /** The sentinels' own ACL user and password (`requirepass` / `user` in sentinel.conf), when they have one. */
    sentinelUsername: z.string().min(1).optional(),
    sentinelPassword: z.string().min(1).optional(),
    sentinelPasswordEnv: EnvName.optional(),
    /** The data nodes' user and password, as for clusters. */
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    passwordEnv: EnvName.optional(),
    tls: TlsConfig.optional(),
    /** Address a sentinel names ("host:port") -> the "host:port" this dashboard can reach. */
    natMap: z.record(HostPort, HostPort).default({}),
    /**
     * Where a data node a sentinel names may be: the dashboard connects (with the data nodes' password) only to
     * addresses inside these networks, after the natMap; natMap targets always. A node outside is shown, not polled,
     * and reported; the guided failover refuses it. Default: the /24 (IPv4) or /64 (IPv6) of every sentinel and natMap
     * target (a host name allows that exact name).
     */
    nodeNetworks: z
      .array(NodeNetworkEntry)
      .min(1, 'at least one network; leave the field out for the default')
      .optional(),
    haproxy: HaproxyConfig.optional(),
    pollIntervalMs: z.number().int().min(250).max(60_000).default(1000),
    nodeDeadlineMs: z.number().int().min(100).max(30_000).default(1000),
    connectTimeoutMs: z.number().int().min(100).max(60_000).default(2000),
    historyMinutes: z.number().int().min(5).max(1440).default(60),
    /** The data nodes' rename-command lines, as for clusters. */
    commandRenames: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'a command name'), CommandRename).default({}),
  })
  .refine((c) => !(c.password !== undefined && c.passwordEnv !== undefined), {
    message: 'give password or passwordEnv, not both',
    path: ['passwordEnv'],
  })
  .refine((c) => !(c.sentinelPassword !== undefined && c.sentinelPasswordEnv !== undefined), {
    message: 'give sentinelPassword or sentinelPasswordEnv, not both',
    path: ['sentinelPasswordEnv'],
  });
export type SentinelConfig = z.infer<typeof SentinelConfig>;

/** An entry of "clusters": a cluster (no "kind", or "cluster") or a Sentinel deployment ("kind": "sentinel"). */
export const DeploymentConfig = z.discriminatedUnion('kind', [ClusterConfig, SentinelConfig]);
export type DeploymentConfig = z.infer<typeof DeploymentConfig>;

export const DashboardConfig = z
  .strictObject({
    clusters: z.array(DeploymentConfig).min(1, 'configure at least one cluster or Sentinel deployment'),
    /**
     * Addresses an admin may create a new cluster from (entries as in clusters[].allowedTargets). Empty = creating a
     * cluster is disabled. A node of a configured cluster is refused whatever this says.
     */
    createTargets: z.array(AllowedTarget).default([]),
    users: z.array(UserConfig).default([]),
    /** Opens the read-only wall and overview pages with ?kiosk=<token>; grants nothing else. */
    kioskToken: z.string().min(24, 'at least 24 characters').optional(),
    /** Lets a Prometheus server scrape GET /api/metrics with "Authorization: Bearer <token>"; grants nothing else. */
    metricsToken: z.string().min(24, 'at least 24 characters').optional(),
    /** Append-only JSON lines of every mutation attempt and failed login. */
    auditLogPath: z.string().min(1).default('./audit.log.jsonl'),
    /** When the audit log would grow past this many bytes it is renamed to <path>.1 (older ones to .2, …). */
    auditMaxBytes: z
      .number()
      .int()
      .min(4096)
      .max(1024 ** 4)
      .default(10 * 1024 * 1024),
    /** Rotated audit files kept (<path>.1 … <path>.N); the oldest is dropped at the next rotation. */
    auditKeepFiles: z.number().int().min(1).max(100).default(5),
    /** Origins accepted on mutations besides the server's own (e.g. the public URL behind a reverse proxy). */
    allowedOrigins: z.array(z.url({ protocol: /^https?$/ })).default([]),
    sessionTtlHours: z.number().int().min(1).max(168).default(12),
    /**
     * Reverse proxies in front of the dashboard (addresses or CIDRs). Only a request whose socket peer is one of them
     * has its X-Forwarded-For / -Proto / -Host read; from anyone else they are ignored.
     */
    trustedProxies: z.array(TrustedProxy).default([]),
    /**
     * Host names (optionally with a port) the dashboard answers to; any other Host gets 421 (DNS rebinding).
     * Default: the listen address (HOSTNAME), localhost, 127.0.0.1, [::1] and the hosts of allowedOrigins.
     */
    allowedHosts: z.array(AllowedHost).min(1, 'at least one host; leave the field out for the default').optional(),
    /**
     * Folder of the dashboard's own database (jobs, their journal, operation locks, timeline, session revocations).
     * Relative to the config file's folder; created with mode 0700.
     */
    dataDir: z.string().min(1).default('./dashboard-data'),
  })
  .superRefine((config, ctx) => {
    const names = new Set<string>();
    config.users.forEach((user, i) => {
      if (names.has(user.name))
        ctx.addIssue({ code: 'custom', message: `duplicate user "${user.name}"`, path: ['users', i, 'name'] });
      names.add(user.name);
    });
    const seen = new Set<string>();
    config.clusters.forEach((cluster, i) => {
      if (seen.has(cluster.id))
        ctx.addIssue({ code: 'custom', message: `duplicate cluster id "${cluster.id}"`, path: ['clusters', i, 'id'] });
      seen.add(cluster.id);
    });
  });
export type DashboardConfig = z.infer<typeof DashboardConfig>;

/** "clusters.0.seeds.1: expected "host:port"" — one line per problem, naming the field. */
export function describeConfigIssues(error: z.ZodError): string[] {
  return error.issues.map(
    (issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`,
  );
}
