import 'server-only';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultNodeNetworks } from '@/lib/config/nodeNetworks';
import {
  type ClusterConfig,
  DashboardConfig,
  describeConfigIssues,
  type SentinelConfig,
  type TlsConfig,
  type UserConfig,
} from '@/lib/config/schema';
import { type HostRule, parseHostRule } from '@/lib/net/allowedHost';
import { type IpNetwork, parseIp, parseNetwork } from '@/lib/net/ip';
import type { CommandRenames } from '@/lib/redis/commandRenames';
import { describeJsonSyntaxError } from './jsonSyntax';

/** A cluster with its secrets resolved. Lives only on the server; never serialise it to a client. */
export interface ResolvedCluster
  extends Omit<ClusterConfig, 'kind' | 'password' | 'passwordEnv' | 'tls' | 'nodeNetworks' | 'commandRenames'> {
  /** The nodes' rename-command lines (lib/redis/commandRenames.ts); absent = every command by its own name. */
  commandRenames?: CommandRenames;
  password?: string;
  /** As configured, or the default (the /24 or /64 of the seeds and natMap targets; see lib/config/nodeNetworks.ts). */
  nodeNetworks: string[];
  /** nodeNetworks was not configured: host-name seeds and natMap targets also allow the networks they resolve to. */
  nodeNetworksByDefault?: boolean;
  tls?: ResolvedTls;
}

export type ResolvedTls = {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  servername?: string;
  rejectUnauthorized: boolean;
};

/** A Sentinel deployment with its secrets resolved. Lives only on the server; never serialise it to a client. */
export interface ResolvedSentinel
  extends Omit<
    SentinelConfig,
    'password' | 'passwordEnv' | 'sentinelPassword' | 'sentinelPasswordEnv' | 'tls' | 'nodeNetworks'
  > {
  /** As configured, or the default (the /24 or /64 of the sentinels and natMap targets). Data nodes only. */
  nodeNetworks: string[];
  /** nodeNetworks was not configured: host-name sentinels and natMap targets also allow the networks they resolve to. */
  nodeNetworksByDefault?: boolean;
  /** The data nodes' password. */
  password?: string;
  /** The sentinels' own password. */
  sentinelPassword?: string;
  /** Used for the sentinels and the data nodes alike. */
  tls?: ResolvedTls;
}

export type Env = Record<string, string | undefined>;

export interface ResolvedConfig {
  path: string;
  /** The config's "clusters" entries that are clusters, in file order. */
  clusters: ResolvedCluster[];
  /** The config's "clusters" entries with "kind": "sentinel", in file order. */
  sentinels: ResolvedSentinel[];
  users: UserConfig[];
  kioskToken?: string;
  metricsToken?: string;
  auditLogPath: string;
  auditMaxBytes: number;
  auditKeepFiles: number;
  allowedOrigins: string[];
  sessionTtlHours: number;
  /** Socket peers whose X-Forwarded-* headers are believed. */
  trustedProxies: IpNetwork[];
  /** Hosts the dashboard answers to (config allowedHosts, or the default list). */
  allowedHosts: HostRule[];
  /** Addresses a new cluster may be created from (config `createTargets`); empty = creation disabled. */
  createTargets: string[];
  /** Absolute path of the data folder (config `dataDir`, resolved against the config file's folder). */
  dataDir: string;
  /** DASHBOARD_SESSION_SECRET; a random per-process one outside production. */
  sessionSecret: string;
  /** DASHBOARD_READ_ONLY=1: every mutation is refused, whatever the role. */
  readOnly: boolean;
}

export const MIN_SESSION_SECRET_LENGTH = 32;

function sessionSecret(env: Env, problems: string[]): string {
  const secret = env.DASHBOARD_SESSION_SECRET;
  if (secret && secret.length >= MIN_SESSION_SECRET_LENGTH) return secret;
  if (secret) problems.push(`(env) DASHBOARD_SESSION_SECRET: at least ${MIN_SESSION_SECRET_LENGTH} characters`);
  else if (env.NODE_ENV === 'production') {
    problems.push(
      `(env) DASHBOARD_SESSION_SECRET: required in production (at least ${MIN_SESSION_SECRET_LENGTH} random characters)`,
    );
  } else
    console.warn(
      '[dashboard] DASHBOARD_SESSION_SECRET is not set: using a random one; sessions end when the server stops',
    );
  return randomBytes(32).toString('base64url');
}

/** HOSTNAME is 0.0.0.0 or ::: where the server listens, never a name a browser uses. */
function listensEverywhere(env: Env): boolean {
  const listen = env.HOSTNAME ? parseIp(env.HOSTNAME) : undefined;
  return listen?.bytes.every((b) => b === 0) ?? false;
}

/**
 * Listening on every interface with the default allowedHosts: other machines reach the server but get 421 for every
 * name but the loopback ones (and allowedOrigins' hosts). Said once per process, at the first load that finds it.
 */
export function allInterfacesWarning(env: Env, allowedHostsConfigured: boolean): string | undefined {
  if (allowedHostsConfigured || !listensEverywhere(env)) return undefined;
  return (
    `[dashboard] listening on all interfaces (HOSTNAME=${env.HOSTNAME}) without "allowedHosts" in the config: only ` +
    'localhost, 127.0.0.1, [::1] and the hosts of allowedOrigins are served; any other name or address gets 421. ' +
    'Add the names users type to "allowedHosts" (e.g. ["dashboard.example.com", "192.0.2.10", "127.0.0.1", ' +
    '"localhost"]; the list replaces the default, so keep the loopback names for local checks).'
  );
}
let allInterfacesWarned = false;

/** Without allowedHosts in the config: the listen address, loopback names and the hosts of allowedOrigins. */
function defaultAllowedHosts(env: Env, allowedOrigins: readonly string[]): string[] {
  const unspecified = listensEverywhere(env);
  return [
    ...(env.HOSTNAME && !unspecified ? [env.HOSTNAME] : []),
    'localhost',
    '127.0.0.1',
    '[::1]',
    ...allowedOrigins.map((origin) => new URL(origin).hostname),
  ];
}

function parsedList<T>(entries: readonly string[], parse: (entry: string) => T | string | undefined): T[] {
  return entries.flatMap((entry) => {
    const parsed = parse(entry);
    return parsed === undefined || typeof parsed === 'string' ? [] : [parsed];
  });
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly configPath: string,
    readonly problems: string[],
  ) {
    super(`invalid dashboard config ${configPath}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function configPath(env: Env = process.env): string {
  return path.resolve(/*turbopackIgnore: true*/ env.DASHBOARD_CONFIG ?? './dashboard.config.json');
}

function readPem(file: string | undefined, field: string, problems: string[]): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(/*turbopackIgnore: true*/ file);
  } catch (err) {
    problems.push(`${field}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    return undefined;
  }
}

export interface LoadOptions {
  /** A reload keeps the session secret the process started with (a random one outside production would change). */
  sessionSecret?: string;
}

/**
 * `npm run bench:soak` polls faster than a config may ask (the schema's floor protects real clusters): this variable,
 * meant for benches only, sets every cluster's poll interval (50 ms to 60 s).
 */
export const BENCH_POLL_ENV = 'DASHBOARD_BENCH_POLL_INTERVAL_MS';

function benchPollInterval(env: Env, problems: string[]): number | undefined {
  const text = env[BENCH_POLL_ENV];
  if (text === undefined || text === '') return undefined;
  const ms = Number(text);
  if (Number.isInteger(ms) && ms >= 50 && ms <= 60_000) return ms;
  problems.push(`${BENCH_POLL_ENV}: a whole number of ms from 50 to 60000 (it is ${JSON.stringify(text)})`);
  return undefined;
}

export function resolveConfig(
  raw: unknown,
  file: string,
  env: Env = process.env,
  options: LoadOptions = {},
): ResolvedConfig {
  const parsed = DashboardConfig.safeParse(raw);
  if (!parsed.success) throw new ConfigError(file, describeConfigIssues(parsed.error));
  const problems: string[] = [];
  const benchPoll = benchPollInterval(env, problems);
  const envSecret = (name: string | undefined, field: string): string | undefined => {
    if (name === undefined) return undefined;
    const value = env[name];
    if (!value) problems.push(`${field}: environment variable ${name} is not set or empty`);
    return value || undefined;
  };
  const resolveTls = (tls: TlsConfig | undefined, at: string): ResolvedTls | undefined =>
    tls && {
      ca: readPem(tls.caFile, `${at}.tls.caFile`, problems),
      cert: readPem(tls.certFile, `${at}.tls.certFile`, problems),
      key: readPem(tls.keyFile, `${at}.tls.keyFile`, problems),
      servername: tls.servername,
      rejectUnauthorized: tls.rejectUnauthorized,
    };
  const clusters: ResolvedCluster[] = [];
  const sentinels: ResolvedSentinel[] = [];
  parsed.data.clusters.forEach((entry, i) => {
    if (entry.kind === 'sentinel') {
      const { password, passwordEnv, sentinelPassword, sentinelPasswordEnv, tls, nodeNetworks, ...rest } = entry;
      if (benchPoll !== undefined) rest.pollIntervalMs = benchPoll;
      const secret = password ?? envSecret(passwordEnv, `clusters.${i}.passwordEnv`);
      const sentinelSecret = sentinelPassword ?? envSecret(sentinelPasswordEnv, `clusters.${i}.sentinelPasswordEnv`);
      const resolvedTls = resolveTls(tls, `clusters.${i}`);
      sentinels.push({
        ...rest,
        nodeNetworks: nodeNetworks ?? defaultNodeNetworks(rest.sentinels, Object.values(rest.natMap)),
        ...(nodeNetworks ? {} : { nodeNetworksByDefault: true }),
        ...(secret ? { password: secret } : {}),
        ...(sentinelSecret ? { sentinelPassword: sentinelSecret } : {}),
        ...(resolvedTls ? { tls: resolvedTls } : {}),
      });
      return;
    }
    const { password, passwordEnv, tls, nodeNetworks, kind: _kind, ...rest } = entry;
    if (benchPoll !== undefined) rest.pollIntervalMs = benchPoll;
    const secret = password ?? envSecret(passwordEnv, `clusters.${i}.passwordEnv`);
    const resolved: ResolvedCluster = {
      ...rest,
      nodeNetworks: nodeNetworks ?? defaultNodeNetworks(rest.seeds, Object.values(rest.natMap)),
      ...(nodeNetworks ? {} : { nodeNetworksByDefault: true }),
      ...(secret ? { password: secret } : {}),
    };
    const resolvedTls = resolveTls(tls, `clusters.${i}`);
    if (resolvedTls) resolved.tls = resolvedTls;
    clusters.push(resolved);
  });
  const secret = options.sessionSecret ?? sessionSecret(env, problems);
  if (problems.length) throw new ConfigError(file, problems);
  const {
    users,
    kioskToken,
    metricsToken,
    auditLogPath,
    auditMaxBytes,
    auditKeepFiles,
    allowedOrigins,
    sessionTtlHours,
    dataDir,
    createTargets,
  } = parsed.data;
  const { trustedProxies, allowedHosts } = parsed.data;
  const warning = allInterfacesWarning(env, allowedHosts !== undefined);
  if (warning && !allInterfacesWarned) {
    allInterfacesWarned = true;
    console.warn(warning);
  }
  return {
    path: file,
    clusters,
    sentinels,
    users,
    ...(kioskToken ? { kioskToken } : {}),
    ...(metricsToken ? { metricsToken } : {}),
    auditLogPath: path.resolve(path.dirname(file), auditLogPath),
    auditMaxBytes,
    auditKeepFiles,
    allowedOrigins: allowedOrigins.map((o) => new URL(o).origin),
    sessionTtlHours,
    trustedProxies: parsedList(trustedProxies, parseNetwork),
    allowedHosts: parsedList(allowedHosts ?? defaultAllowedHosts(env, allowedOrigins), parseHostRule),
    dataDir: path.resolve(path.dirname(file), dataDir),
    createTargets,
    sessionSecret: secret,
    readOnly: env.DASHBOARD_READ_ONLY === '1' || env.DASHBOARD_READ_ONLY === 'true',
  };
}

export function loadConfig(env: Env = process.env, options: LoadOptions = {}): ResolvedConfig {
  const file = configPath(env);
  let text: string;
  try {
    text = readFileSync(/*turbopackIgnore: true*/ file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [
      code === 'ENOENT'
        ? '(file): not found; set DASHBOARD_CONFIG or create ./dashboard.config.json'
        : `(file): cannot read (${code})`,
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // Never Node's message: it quotes the text around the error, which may be a password or a token.
    throw new ConfigError(file, [`(file): not valid JSON at ${describeJsonSyntaxError(text)}`]);
  }
  return resolveConfig(raw, file, env, options);
}
