import 'server-only';
import { splitHostPort } from '@/lib/config/schema';
import { CommandDisabled } from '@/lib/redis/commandRenames';
import { type ParsedInfo, parseInfo } from '@/lib/redis/info';
import { DISABLED_REASON, refusalReason } from '@/lib/redis/refusal';
import { joinHostPort } from '@/lib/sentinel/replies';
import { describeNodeError } from '../collect/errors';
import { type DeploymentConnection, withDeadline } from './connection';

/** What one data node says of itself this poll. */
export interface DataNodeReport {
  reachable: boolean;
  error?: string;
  info?: ParsedInfo;
  latencyMs?: number;
  /** On a node answering role:master: CONFIG GET min-replicas-to-write / -max-lag; null when not readable. */
  minReplicasToWrite?: number | null;
  minReplicasMaxLag?: number | null;
  /** Additive (E): not polled, its dial address is outside the deployment's nodeNetworks (nothing was sent). */
  outsideNodeNetworks?: true;
  /** Why CONFIG GET could not be read ("not permitted", "disabled (commandRenames: \"\")"), when it could not. */
  configError?: string;
}

/** CONFIG GET <name>'s [name, value] reply as a number; undefined for any other shape. */
export function configNumber(reply: unknown): number | undefined {
  if (!Array.isArray(reply) || reply.length < 2) return undefined;
  const value = Buffer.isBuffer(reply[1]) ? reply[1].toString() : reply[1];
  const n = Number(value);
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(n) ? n : undefined;
}

async function readMinReplicas(
  conn: DeploymentConnection,
  secrets: readonly string[],
): Promise<Pick<DataNodeReport, 'minReplicasToWrite' | 'minReplicasMaxLag' | 'configError'>> {
  if (conn.commandName('CONFIG') === null)
    return { minReplicasToWrite: null, minReplicasMaxLag: null, configError: `CONFIG ${DISABLED_REASON}` };
  try {
    const [toWrite, maxLag] = await Promise.all([
      conn.call('CONFIG', 'GET', 'min-replicas-to-write'),
      conn.call('CONFIG', 'GET', 'min-replicas-max-lag'),
    ]);
    const write = configNumber(toWrite);
    const lag = configNumber(maxLag);
    return {
      minReplicasToWrite: write ?? null,
      minReplicasMaxLag: lag ?? null,
      ...(write === undefined ? { configError: 'CONFIG GET min-replicas-to-write gave no number' } : {}),
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const reason =
      err instanceof CommandDisabled
        ? DISABLED_REASON
        : /NOPERM|unknown (sub)?command/i.test(message)
          ? refusalReason(message)
          : describeNodeError(err, secrets);
    return { minReplicasToWrite: null, minReplicasMaxLag: null, configError: `CONFIG GET: ${reason}` };
  }
}

/**
 * INFO (every default section: server, clients, memory, stats, replication, keyspace) and, on a node answering
 * role:master, CONFIG GET min-replicas-*; all within `deadlineMs`. Never throws. A refused or disabled CONFIG only
 * leaves those fields null (with configError), never the node.
 */
export async function pollDataNode(
  conn: DeploymentConnection,
  deadlineMs: number,
  secrets: readonly string[],
): Promise<DataNodeReport> {
  const started = Date.now();
  try {
    return await withDeadline(
      (async (): Promise<DataNodeReport> => {
        await conn.ready(deadlineMs);
        const sent = performance.now();
        const reply = await conn.call('INFO');
        const latencyMs = Math.round((performance.now() - sent) * 100) / 100;
        const text = Buffer.isBuffer(reply) ? reply.toString() : reply;
        if (typeof text !== 'string') throw new Error('INFO gave no text');
        const info = parseInfo(text);
        const report: DataNodeReport = { reachable: true, info, latencyMs };
        if (info.fields.role === 'master') Object.assign(report, await readMinReplicas(conn, secrets));
        return report;
      })(),
      Math.max(1, deadlineMs - (Date.now() - started)),
    );
  } catch (err) {
    return { reachable: false, error: describeNodeError(err, secrets) };
  }
}

/** A finite number from an INFO field, else undefined. */
export function infoNumber(info: ParsedInfo | undefined, field: string): number | undefined {
  const raw = info?.fields[field];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/** The replicas a master's INFO lists, as "host:port" with their offset. */
export function listedReplicas(
  info: ParsedInfo | undefined,
): { addr: string; offset: number; state: string; lag: number }[] {
  return (info?.replicas ?? [])
    .filter((r) => r.ip !== '' && r.port > 0)
    .map((r) => ({ addr: joinHostPort(r.ip, r.port), offset: r.offset, state: r.state, lag: r.lag }));
}

export function hostOf(addr: string): string {
  return splitHostPort(addr).host;
}
