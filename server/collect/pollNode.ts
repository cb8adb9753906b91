import 'server-only';
import type { NodeLatency, NodeReport } from '@/lib/cluster/types';
import { parseClusterInfo } from '@/lib/redis/clusterInfo';
import { parseClusterNodes } from '@/lib/redis/clusterNodes';
import { parseClusterShards } from '@/lib/redis/clusterShards';
import { parseInfo } from '@/lib/redis/info';
import { parseLatencyLatest, parseLatencyStats } from '@/lib/redis/latency';
import type { NodeConnection } from '../redis/nodeClient';
import { describeNodeError } from './errors';

export interface PollOptions {
  deadlineMs: number;
  withShards: boolean;
  /** Also read CONFIG GET cluster-* (its failure, e.g. an ACL without CONFIG, does not fail the poll). */
  withConfig?: boolean;
  /** Also read LATENCY LATEST and INFO latencystats (failures do not fail the poll either). */
  withLatency?: boolean;
  secrets: readonly string[];
  /** Told about the round trip itself, which may outlive the deadline (a hung node answers late or never). */
  onSent?: (roundTrip: Promise<unknown>) => void;
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no reply within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** CONFIG GET's flat [name, value, ...] reply as a record; undefined for any other shape. */
function pairsToRecord(reply: unknown): Record<string, string> | undefined {
  if (!Array.isArray(reply) || reply.length % 2 !== 0) return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  return out;
}

type PipelineResult = [Error | null, unknown] | undefined;

/** LATENCY LATEST and INFO latencystats, each optional: an old server or a refusing ACL leaves them empty. */
function readLatency(latest: PipelineResult, stats: PipelineResult): NodeLatency {
  const events = latest && !latest[0] ? safe(() => parseLatencyLatest(latest[1]), []) : [];
  const percentiles =
    stats && !stats[0] && typeof stats[1] === 'string'
      ? safe(() => parseLatencyStats(parseInfo(stats[1] as string).fields), {})
      : {};
  return { events, percentiles, monitorEnabled: latest !== undefined && !latest[0] };
}

function safe<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** CLUSTER NODES, CLUSTER INFO, INFO (and CLUSTER SHARDS) in one pipelined round trip, parsed, within a deadline. */
export async function pollNode(addr: string, connection: NodeConnection, options: PollOptions): Promise<NodeReport> {
  const started = performance.now();
  try {
    await connection.ready(options.deadlineMs);
  } catch (err) {
    return { addr, ok: false, error: describeNodeError(err, options.secrets) };
  }
  const pipeline = connection.redis.pipeline();
  pipeline.call('CLUSTER', 'NODES');
  pipeline.call('CLUSTER', 'INFO');
  pipeline.call('INFO');
  if (options.withShards) pipeline.call('CLUSTER', 'SHARDS');
  if (options.withConfig) pipeline.call('CONFIG', 'GET', 'cluster-*');
  if (options.withLatency) {
    pipeline.call('LATENCY', 'LATEST');
    pipeline.call('INFO', 'latencystats');
  }
  const roundTrip = pipeline.exec();
  options.onSent?.(roundTrip);
  try {
    const results = await withDeadline(roundTrip, options.deadlineMs);
    const rttMs = Math.round((performance.now() - started) * 10) / 10;
    if (!results) throw new Error('pipeline discarded');
    const latencyStatsResult = options.withLatency ? results.pop() : undefined;
    const latencyLatestResult = options.withLatency ? results.pop() : undefined;
    const configResult = options.withConfig ? results.pop() : undefined;
    const replies = results.map(([err, reply]) => {
      if (err) throw err;
      return reply;
    });
    const [nodesText, clusterInfoText, infoText, shardsReply] = replies;
    const clusterConfig = configResult && !configResult[0] ? pairsToRecord(configResult[1]) : undefined;
    if (typeof nodesText !== 'string' || typeof clusterInfoText !== 'string' || typeof infoText !== 'string') {
      throw new Error('reply of an unexpected type');
    }
    return {
      addr,
      ok: true,
      rttMs,
      nodes: parseClusterNodes(nodesText),
      clusterInfo: parseClusterInfo(clusterInfoText),
      info: parseInfo(infoText),
      ...(options.withShards ? { shards: parseClusterShards(shardsReply) } : {}),
      ...(clusterConfig ? { clusterConfig } : {}),
      ...(options.withLatency ? { latency: readLatency(latencyLatestResult, latencyStatsResult) } : {}),
    };
  } catch (err) {
    // A command failing with NOAUTH after a rejected AUTH: the AUTH error is the one that explains it.
    const cause = connection.lastError && /NOAUTH/.test(String(err)) ? connection.lastError : err;
    return { addr, ok: false, error: describeNodeError(cause, options.secrets) };
  }
}
