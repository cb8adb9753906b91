import 'server-only';
import { Redis } from 'ioredis';
import { splitHostPort } from '@/lib/config/schema';
import { CommandDisabled, commandName, ownPort } from '@/lib/redis/commandRenames';
import { parseInfo } from '@/lib/redis/info';
import { joinHostPort, masterAddrReply } from '@/lib/sentinel/replies';
import type { ResolvedSentinel } from '../config/load';

const COMMAND_TIMEOUT_MS = 2000;

/** Connects a lazy connection, or waits for one (re)connecting; rejects after `timeoutMs`. */
async function ready(conn: Redis, timeoutMs: number): Promise<void> {
  if (conn.status === 'ready') return;
  if (conn.status === 'wait') {
    await conn.connect();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      conn.off('ready', onReady);
      reject(new Error(`no connection within ${timeoutMs} ms (${conn.status})`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    conn.once('ready', onReady);
  });
}

/** What a data node says of its replication (INFO replication), as the failover job reads it. */
export interface ReplicationState {
  role: 'master' | 'replica';
  offset: number;
  /** For a replica: "host:port" of its master, and master_link_status. */
  masterAddr?: string;
  linkUp?: boolean;
}

/**
 * The failover job's own connections: one to each sentinel (commands), one subscriber per sentinel (events, in
 * sentinelEvents.ts), one to each data node. Fail fast (no offline queue), reconnect on their own: Sentinel closes
 * normal clients when it turns a master into a replica, and the job carries on over a new connection.
 */
export class FailoverLinks {
  private readonly conns = new Map<string, Redis>();

  constructor(readonly deployment: ResolvedSentinel) {}

  /** The address the dashboard dials for a node the sentinels name (natMap applied). */
  dialAddr(addr: string): string {
    return this.deployment.natMap[addr] ?? addr;
  }

  open(kind: 'sentinel' | 'node', addr: string, options: { subscriber?: boolean } = {}): Redis {
    const dial = kind === 'node' ? this.dialAddr(addr) : addr;
    const { host, port } = splitHostPort(dial);
    const d = this.deployment;
    return new Redis({
      host,
      port,
      username: kind === 'sentinel' ? d.sentinelUsername : d.username,
      password: kind === 'sentinel' ? d.sentinelPassword : d.password,
      tls: d.tls ? { ...d.tls } : undefined,
      protocol: 2,
      enableOfflineQueue: options.subscriber === true,
      enableReadyCheck: false,
      maxRetriesPerRequest: options.subscriber ? null : 0,
      autoResendUnfulfilledCommands: options.subscriber === true,
      connectTimeout: d.connectTimeoutMs,
      commandTimeout: options.subscriber ? undefined : COMMAND_TIMEOUT_MS,
      connectionName: 'cluster-dashboard-failover',
      lazyConnect: true,
      disableClientInfo: true,
      retryStrategy: () => 200,
    }).on('error', () => {
      // every command reports its own error; the connection retries on its own
    });
  }

  /** The job's connection, ready to take a command (the job's commands never queue behind a reconnect). */
  private async get(kind: 'sentinel' | 'node', addr: string): Promise<Redis> {
    const key = `${kind} ${addr}`;
    let conn = this.conns.get(key);
    if (!conn) {
      conn = this.open(kind, addr);
      this.conns.set(key, conn);
    }
    await ready(conn, this.deployment.connectTimeoutMs);
    return conn;
  }

  /** A command to a sentinel (SENTINEL …), as the sentinel answers it. */
  sentinel(addr: string, ...args: string[]): Promise<unknown> {
    const [command, ...rest] = args;
    return this.get('sentinel', addr).then((c) => c.call(command ?? 'PING', ...rest));
  }

  /** The name the data node at `addr` knows `command` by; CommandDisabled when renamed to "". */
  nodeCommand(addr: string, command: string): string {
    const name = commandName(
      this.deployment.commandRenames,
      command,
      ownPort(this.deployment.natMap, this.dialAddr(addr)),
    );
    if (name === null) throw new CommandDisabled(command, addr);
    return name;
  }

  /** A command to a data node, renamed per commandRenames. */
  async node(addr: string, command: string, ...args: (string | number)[]): Promise<unknown> {
    const name = this.nodeCommand(addr, command);
    return (await this.get('node', addr)).call(name, ...args);
  }

  /** The same over a connection of its own, closed after: for the unpause, which must not wait behind anything. */
  async nodeOnce(addr: string, command: string, ...args: (string | number)[]): Promise<unknown> {
    const conn = this.open('node', addr);
    try {
      await ready(conn, this.deployment.connectTimeoutMs);
      return await conn.call(this.nodeCommand(addr, command), ...args);
    } finally {
      conn.disconnect();
    }
  }

  /**
   * The old master made a replica of `newMaster` as Sentinel does it (src/sentinel.c sentinelSendSlaveOf), in one
   * MULTI on a connection of its own: REPLICAOF, CLIENT KILL TYPE normal and TYPE pubsub (clients reconnect, through
   * the proxy, to the new master). CONFIG REWRITE (so a restart keeps the role) after EXEC, outside it: a refusal
   * (ACL, renamed to "", no config file) is a note, never a reason the demotion fails. Every name through
   * commandRenames. Resolves with the notes; rejects when REPLICAOF or a CLIENT KILL is refused (EXECABORT, NOPERM,
   * disabled), leaving the node as it was.
   */
  async demote(addr: string, newMaster: string): Promise<string[]> {
    const { host, port } = splitHostPort(newMaster);
    const name = (c: string) => this.nodeCommand(addr, c);
    // Before MULTI: a disabled command must not leave a transaction half queued.
    const [multi, replicaof, client, exec] = [name('MULTI'), name('REPLICAOF'), name('CLIENT'), name('EXEC')];
    const conn = this.open('node', addr);
    try {
      await ready(conn, this.deployment.connectTimeoutMs);
      await conn.call(multi);
      const queued = [
        conn.call(replicaof, host, port),
        conn.call(client, 'KILL', 'TYPE', 'normal'),
        conn.call(client, 'KILL', 'TYPE', 'pubsub'),
      ].map((p) => p.catch((err: unknown) => err));
      // A command refused when queued (NOPERM, unknown) aborts the transaction: nothing ran, the refusal says why.
      const refusal = (await Promise.all(queued)).find((r) => r instanceof Error);
      // (The connection is closed below, which discards the transaction.)
      if (refusal instanceof Error) throw refusal;
      const replies = await conn.call(exec);
      if (!Array.isArray(replies)) throw new Error(`EXEC answered ${String(replies)}`);
      const [demoted, ...kills] = replies as unknown[];
      if (demoted instanceof Error) throw demoted;
      const notes: string[] = [];
      const killFailed = kills.find((k) => k instanceof Error);
      if (killFailed instanceof Error)
        notes.push(
          `CLIENT KILL failed on ${addr} (${killFailed.message}): its clients learn it is a replica from READONLY`,
        );
      notes.push(...(await this.rewriteConfig(conn, addr)));
      return notes;
    } finally {
      conn.disconnect();
    }
  }

  /** CONFIG REWRITE after the demotion: what it means when refused, as a note (empty when done). */
  private async rewriteConfig(conn: Redis, addr: string): Promise<string[]> {
    try {
      await conn.call(this.nodeCommand(addr, 'CONFIG'), 'REWRITE');
      return [];
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return [
        /config file/i.test(why)
          ? `${addr} runs without a config file: CONFIG REWRITE skipped (a restart would bring it back as a master; Sentinel demotes it again)`
          : `CONFIG REWRITE was refused on ${addr} (${why}): it is a replica now, but a restart would bring it back as a master until Sentinel demotes it again`,
      ];
    }
  }

  async replication(addr: string): Promise<ReplicationState> {
    const info = parseInfo(String(await this.node(addr, 'INFO', 'replication'))).fields;
    const role = info.role === 'master' ? 'master' : 'replica';
    if (role === 'master') return { role, offset: Number(info.master_repl_offset ?? 0) };
    return {
      role,
      offset: Number(info.slave_repl_offset ?? info.master_repl_offset ?? 0),
      masterAddr: joinHostPort(info.master_host ?? '', info.master_port ?? ''),
      linkUp: info.master_link_status === 'up',
    };
  }

  /** GET-MASTER-ADDR-BY-NAME on one sentinel: "host:port", or null. */
  async masterOf(sentinelAddr: string): Promise<string | null> {
    const reply = await this.sentinel(sentinelAddr, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.deployment.masterName);
    return masterAddrReply(reply);
  }

  /** SENTINEL MASTER <name> on one sentinel: the master's flags in its view ("master", "failover_in_progress"…). */
  async masterFlags(sentinelAddr: string): Promise<string[]> {
    const reply = await this.sentinel(sentinelAddr, 'SENTINEL', 'MASTER', this.deployment.masterName);
    if (!Array.isArray(reply)) return [];
    const at = reply.indexOf('flags');
    return at >= 0 ? String(reply[at + 1]).split(',') : [];
  }

  close(): void {
    for (const conn of this.conns.values()) conn.disconnect();
    this.conns.clear();
  }
}
