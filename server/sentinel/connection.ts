import 'server-only';
import { Redis } from 'ioredis';
import { splitHostPort } from '@/lib/config/schema';
import { CommandDisabled, commandName, ownPort } from '@/lib/redis/commandRenames';
import type { ResolvedSentinel } from '../config/load';
import { reconnectDelay, whenReady } from '../redis/nodeClient';
import { assertDialAllowed, sentinelDialling } from '../security/nodeNetworks';

/** Which credentials a connection uses: the sentinels' own, or the data nodes'. */
export type Side = 'sentinel' | 'data';

/**
 * One plain connection to a sentinel or a data node of a Sentinel deployment, as NodeConnection is for a cluster's
 * nodes: fails fast while down (no offline queue), reconnects on its own, remembers why it last failed. Data nodes'
 * commands go through commandRenames; a sentinel's never do (rename-command does not apply to sentinel.conf).
 */
export class DeploymentConnection {
  readonly redis: Redis;
  lastError: Error | undefined;
  private readonly ownPort: number;

  constructor(
    readonly addr: string,
    private readonly deployment: ResolvedSentinel,
    readonly side: Side,
  ) {
    // The data nodes' password goes only inside nodeNetworks, whatever a sentinel names (OutsideNodeNetworks).
    if (side === 'data') assertDialAllowed(sentinelDialling(deployment), addr);
    const { host, port } = splitHostPort(addr);
    this.ownPort = ownPort(deployment.natMap, addr);
    this.redis = new Redis({
      host,
      port,
      username: side === 'sentinel' ? deployment.sentinelUsername : deployment.username,
      password: side === 'sentinel' ? deployment.sentinelPassword : deployment.password,
      tls: deployment.tls ? { ...deployment.tls } : undefined,
      protocol: 2,
      lazyConnect: true,
      enableOfflineQueue: false,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: deployment.connectTimeoutMs,
      commandTimeout: deployment.nodeDeadlineMs,
      keepAlive: 30_000,
      connectionName: 'cluster-dashboard',
      disableClientInfo: true,
      retryStrategy: reconnectDelay,
    });
    this.redis.on('error', (err: Error) => {
      this.lastError = err;
    });
    this.redis.on('ready', () => {
      this.lastError = undefined;
    });
    this.redis.connect().catch(() => {});
  }

  /** The name a data node knows `command` by; null when disabled there. Sentinels keep every name. */
  commandName(command: string): string | null {
    return this.side === 'sentinel' ? command : commandName(this.deployment.commandRenames, command, this.ownPort);
  }

  call(command: string, ...args: (string | number)[]): Promise<unknown> {
    const name = this.commandName(command);
    if (name === null) return Promise.reject(new CommandDisabled(command, this.addr));
    return this.redis.call(name, ...args);
  }

  /** Resolves when commands can be sent; rejects at once when down, or after timeoutMs. */
  ready(timeoutMs: number): Promise<void> {
    return whenReady(this.redis, () => this.lastError, timeoutMs);
  }

  close(): void {
    this.redis.disconnect();
  }
}

/** Rejects after `ms` (the verdict waits one read of the sockets, as the cluster poll does); clears its timer. */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => setImmediate(() => reject(new Error(`no reply within ${ms} ms`))), ms);
  });
  work.catch(() => {});
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
