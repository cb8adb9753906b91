import 'server-only';
import { Redis } from 'ioredis';
import { splitHostPort } from '@/lib/config/schema';
import { CommandDisabled, commandName, ownPort } from '@/lib/redis/commandRenames';
import type { ResolvedCluster } from '../config/load';
import { assertDialAllowed } from '../security/nodeNetworks';

/** Jittered exponential backoff, 100 ms doubling to 5 s, so a down node is retried without a thundering herd. */
export function reconnectDelay(times: number): number {
  const base = Math.min(5000, 100 * 2 ** Math.min(times, 6));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/**
 * One plain (non-cluster) connection to one node. Fails fast while disconnected (no offline queue, no retries per
 * request) so a down node shows as down at once; reconnects on its own, and remembers why it last failed.
 *
 * The constructor throws OutsideNodeNetworks for an address outside the cluster's nodeNetworks (and not a seed or
 * natMap target), before anything is sent: every connection with the cluster's password passes this one check. Only a
 * typed target already checked against allowedTargets (server/ops/checkTarget.ts) skips it.
 */
export class NodeConnection {
  readonly redis: Redis;
  /** The last connection-level error (refused, auth failed, TLS); cleared when a connection becomes ready. */
  lastError: Error | undefined;

  /** The node's own port, for "{port}" in commandRenames: the announced one where the natMap translates. */
  private readonly ownPort: number;

  constructor(
    readonly addr: string,
    cluster: ResolvedCluster,
    commandTimeoutMs: number,
    /** reconnect false: a dropped connection stays down (a job must not talk to a restarted process unawares). */
    options: { typedTarget?: boolean; reconnect?: boolean } = {},
  ) {
    if (!options.typedTarget) assertDialAllowed(cluster, addr);
    const { host, port } = splitHostPort(addr);
    this.ownPort = ownPort(cluster.natMap, addr);
    this.renames = cluster.commandRenames;
    this.redis = new Redis({
      host,
      port,
      username: cluster.username,
      password: cluster.password,
      tls: cluster.tls ? { ...cluster.tls } : undefined,
      protocol: 2,
      lazyConnect: true,
      enableOfflineQueue: false,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: cluster.connectTimeoutMs,
      commandTimeout: commandTimeoutMs,
      keepAlive: 30_000,
      connectionName: 'cluster-dashboard',
      disableClientInfo: true,
      retryStrategy: options.reconnect === false ? () => null : reconnectDelay,
    });
    this.redis.on('error', (err: Error) => {
      this.lastError = err;
    });
    this.redis.on('ready', () => {
      this.lastError = undefined;
    });
    this.redis.connect().catch(() => {});
  }

  private readonly renames: ResolvedCluster['commandRenames'];

  /** The name this node knows `command` by (commandRenames, "{port}" expanded); null when disabled there. */
  commandName(command: string): string | null {
    return commandName(this.renames, command, this.ownPort);
  }

  /** commandName, or CommandDisabled thrown before anything is sent. Every command to a node goes through it. */
  nameOf(command: string): string {
    const name = this.commandName(command);
    if (name === null) throw new CommandDisabled(command, this.addr);
    return name;
  }

  /** One command, renamed per commandRenames. */
  call(command: string, ...args: (string | Buffer | number)[]): Promise<unknown> {
    try {
      return this.redis.call(this.nameOf(command), ...args);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Resolves once the connection can take commands; rejects at once when it is down, or after `timeoutMs`. */
  ready(timeoutMs: number): Promise<void> {
    return whenReady(this.redis, () => this.lastError, timeoutMs);
  }

  close(): void {
    this.redis.disconnect();
  }
}

/**
 * Resolves once `redis` can take commands; rejects at once when it is down (with its last error), or after
 * `timeoutMs`. TCP up but no answer to the handshake is a hung node, not a broken path, and is said so.
 */
export function whenReady(redis: Redis, lastError: () => Error | undefined, timeoutMs: number): Promise<void> {
  const status = redis.status;
  if (status === 'ready') return Promise.resolve();
  if (status !== 'connecting' && status !== 'connect' && status !== 'wait') {
    return Promise.reject(lastError() ?? new Error(`not connected (${status})`));
  }
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
      redis.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onReady = () => done();
    const onError = (err: Error) => done(err);
    const onClose = () => done(lastError() ?? new Error('connection closed'));
    const timer = setTimeout(
      () =>
        done(
          new Error(
            redis.status === 'connect'
              ? `connected, no reply within ${timeoutMs} ms`
              : `no connection within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
    redis.once('ready', onReady);
    redis.once('error', onError);
    redis.once('close', onClose);
  });
}
