import 'server-only';
import { splitHostPort } from '@/lib/config/schema';
import { parseInfo } from '@/lib/redis/info';
import { timeoutWords } from '@/lib/sentinel/errorWords';
import {
  ckquorumReply,
  flagList,
  flatRecord,
  masterAddrReply,
  numberField,
  recordAddr,
  recordList,
} from '@/lib/sentinel/replies';
import type { SentinelView } from '@/lib/sentinel/types';
import { describeNodeError } from '../collect/errors';
import { type DeploymentConnection, withDeadline } from './connection';

/** What one sentinel says of the master's replicas, beyond their addresses: their flags and priority. */
export interface SentinelReplicaReport {
  addr: string;
  flags: string[];
  priority?: number;
  /** master-link-status as the sentinel last read it from the replica's INFO. */
  linkStatus?: string;
  /** info-refresh, last-ok-ping-reply, master-link-down-time (ms), as this sentinel reports them. */
  infoRefreshMs?: number;
  lastOkPingMs?: number;
  masterLinkDownMs?: number;
}

export interface SentinelReport {
  view: SentinelView;
  /** The master's flags as this sentinel reports them (SENTINEL MASTER), for view.masterFlagsAddr's sentinelFlags. */
  masterFlags: string[];
  replicas: SentinelReplicaReport[];
  /** Other sentinels' addresses with their last-ok-ping-reply (ms ago), as this one knows them. */
  peers: { addr: string; runId?: string; lastOkPingReplyMs?: number }[];
  /** The sentinel's own id (SENTINEL MYID): how the others name it when its announced address differs. */
  runId?: string;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString();
  return undefined;
}

/** A settled reply's value, or undefined for an error. */
function ok<T>(result: PromiseSettledResult<T>): T | undefined {
  return result.status === 'fulfilled' ? result.value : undefined;
}

function errorOf(result: PromiseSettledResult<unknown>): string | undefined {
  return result.status === 'rejected'
    ? result.reason instanceof Error
      ? result.reason.message
      : String(result.reason)
    : undefined;
}

/**
 * One sentinel's poll: PING, SENTINEL MASTER / REPLICAS / SENTINELS / CKQUORUM / GET-MASTER-ADDR-BY-NAME and INFO
 * server, all within `deadlineMs`. Never throws: an unreachable or garbled sentinel is a view with reachable false.
 */
export async function pollSentinel(
  conn: DeploymentConnection,
  masterName: string,
  deadlineMs: number,
  secrets: readonly string[],
  lastOkAt: number | undefined,
): Promise<SentinelReport> {
  const { host } = splitHostPort(conn.addr);
  const down = (error: string): SentinelReport => ({
    view: {
      addr: conn.addr,
      host,
      reachable: false,
      error,
      masterAddr: null,
      ...(lastOkAt !== undefined ? { lastOkAt } : {}),
    },
    masterFlags: [],
    replicas: [],
    peers: [],
  });
  const started = Date.now();
  try {
    return await withDeadline(
      (async (): Promise<SentinelReport> => {
        await conn.ready(deadlineMs);
        const pingStart = performance.now();
        const ping = conn.call('PING').then((r) => ({ reply: r, ms: performance.now() - pingStart }));
        const [pinged, master, replicas, sentinels, ckquorum, addr, info, myId] = await Promise.allSettled([
          ping,
          conn.call('SENTINEL', 'MASTER', masterName),
          conn.call('SENTINEL', 'REPLICAS', masterName),
          conn.call('SENTINEL', 'SENTINELS', masterName),
          conn.call('SENTINEL', 'CKQUORUM', masterName),
          conn.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName),
          conn.call('INFO', 'server'),
          conn.call('SENTINEL', 'MYID'),
        ]);
        const pong = ok(pinged);
        if (!pong) throw new Error(errorOf(pinged) ?? 'no reply to PING');
        const answeredAt = Date.now();
        const record = flatRecord(ok(master));
        // The flags describe the node SENTINEL MASTER names, which is not always the one GET-MASTER-ADDR-BY-NAME names.
        const recordedAt = recordAddr(record);
        const masterFlags = recordedAt ? flagList(record.flags) : [];
        const replicaRecords = recordList(ok(replicas));
        const peerRecords = recordList(ok(sentinels));
        const infoText = text(ok(info));
        let version: string | undefined;
        // The id the other sentinels list it by (SENTINEL SENTINELS "runid"); not INFO's run_id. Redis 6.2+.
        const runId = text(ok(myId));
        try {
          const fields = infoText ? parseInfo(infoText).fields : {};
          version = fields.valkey_version ?? fields.redis_version;
        } catch {
          version = undefined;
        }
        const replicaReports = replicaRecords.flatMap((r): SentinelReplicaReport[] => {
          const replicaAddr = recordAddr(r);
          if (!replicaAddr) return [];
          const priority = numberField(r, 'slave-priority') ?? numberField(r, 'replica-priority');
          return [
            {
              addr: replicaAddr,
              flags: flagList(r.flags),
              ...(priority !== undefined ? { priority } : {}),
              ...(r['master-link-status'] ? { linkStatus: r['master-link-status'] } : {}),
              ...optional('infoRefreshMs', numberField(r, 'info-refresh')),
              ...optional('lastOkPingMs', numberField(r, 'last-ok-ping-reply')),
              ...optional('masterLinkDownMs', numberField(r, 'master-link-down-time')),
            },
          ];
        });
        const peers = peerRecords.flatMap((r) => {
          const peerAddr = recordAddr(r);
          if (!peerAddr) return [];
          const lastOk = numberField(r, 'last-ok-ping-reply');
          return [
            {
              addr: peerAddr,
              ...(r.runid ? { runId: r.runid } : {}),
              ...(lastOk !== undefined ? { lastOkPingReplyMs: lastOk } : {}),
            },
          ];
        });
        const masterError = errorOf(master);
        const numOthers = numberField(record, 'num-other-sentinels');
        const view: SentinelView = {
          addr: conn.addr,
          host,
          reachable: true,
          masterAddr: ok(addr) !== undefined ? masterAddrReply(ok(addr)) : null,
          latencyMs: Math.round(pong.ms * 100) / 100,
          lastOkAt: answeredAt,
          ...(masterError ? { error: describeNodeError(new Error(masterError), secrets) } : {}),
          ...optional('quorum', numberField(record, 'quorum')),
          ...optional('downAfterMs', numberField(record, 'down-after-milliseconds')),
          ...optional('failoverTimeoutMs', numberField(record, 'failover-timeout')),
          ...optional('parallelSyncs', numberField(record, 'parallel-syncs')),
          ...optional('configEpoch', numberField(record, 'config-epoch')),
          ...(record.flags !== undefined ? { masterFlags } : {}),
          ...(recordedAt ? { masterFlagsAddr: recordedAt } : {}),
          ...optional('sentinelsKnown', numOthers === undefined ? undefined : numOthers + 1),
          ...optional('replicasKnown', numberField(record, 'num-slaves')),
          ckquorum:
            ckquorum.status === 'fulfilled'
              ? ckquorumReply(ckquorum.value)
              : { ok: false, message: describeNodeError(ckquorum.reason, secrets) },
          peers: peers.map((p) => p.addr),
          replicaAddrs: replicaReports.map((r) => r.addr),
          ...(version ? { version } : {}),
        };
        return { view, masterFlags, replicas: replicaReports, peers, ...(runId ? { runId } : {}) };
      })(),
      Math.max(1, deadlineMs - (Date.now() - started)),
    );
  } catch (err) {
    return down(timeoutWords(describeNodeError(err, secrets), deadlineMs));
  }
}

function optional<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: number };
}
