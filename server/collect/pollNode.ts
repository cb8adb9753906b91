import 'server-only';
import { SUMMARY_FIELDS, summarizeInfo } from '@/lib/cluster/infoSummary';
import type { NodeLatency, NodeReport, RefusedCommand } from '@/lib/cluster/types';
import { parseClusterInfo } from '@/lib/redis/clusterInfo';
import { parseClusterNodes } from '@/lib/redis/clusterNodes';
import { lazyInfo, parseInfo, parseInfoFields } from '@/lib/redis/info';
import { parseLatencyLatest, parseLatencyStats, parseLatencyThreshold } from '@/lib/redis/latency';
import {
  DISABLED_REASON,
  isRefusal,
  OPTIONAL_COMMANDS,
  type OptionalCommand,
  refusalReason,
} from '@/lib/redis/refusal';
import type { NodeConnection } from '../redis/nodeClient';
import { describeNodeError } from './errors';
import type { ViewCache } from './viewCache';

export interface PollOptions {
  deadlineMs: number;
  /** Also read CONFIG GET cluster-* and save (optional: a refusal degrades only the features that use it). */
  withConfig?: boolean;
  /** Also read LATENCY LATEST and INFO latencystats (optional too). */
  withLatency?: boolean;
  /** With withLatency: also CONFIG GET latency-monitor-threshold (optional; a refusal leaves the threshold unknown). */
  withLatencyThreshold?: boolean;
  /** Send CLUSTER INFO (skipped for a while after the node refused it). */
  withClusterInfo?: boolean;
  /** CLUSTER COUNTKEYSINSLOT for these slots (open or disputed slots), optional. */
  countKeysIn?: readonly number[];
  secrets: readonly string[];
  /** Parsed views kept across polls: a view is parsed again only when it changed beyond its ping/pong times. */
  views?: ViewCache;
  /**
   * false: CLUSTER NODES is not asked this poll, the view last read from this node (in `views`) stands for it (large
   * clusters read a share of views per poll, collector.ts). Asked anyway when no view of the node is known.
   */
  withNodes?: boolean;
  /** false: this view's ping/pong times are not kept for the snapshot (ViewCache.read). */
  keepTimes?: boolean;
  /** Told about the round trip itself, which may outlive the deadline (a hung node answers late or never). */
  onSent?: (roundTrip: Promise<unknown>) => void;
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    // Timers run before the event loop reads sockets: after the dashboard itself was busy (parsing 1,000 replies),
    // a reply already waiting in its socket would lose to the timer. The verdict waits for one read of the sockets.
    timer = setTimeout(() => setImmediate(() => reject(new Error(`no reply within ${ms} ms`))), ms);
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

/**
 * LATENCY LATEST, INFO latencystats and the monitor's threshold (CONFIG GET latency-monitor-threshold), each optional:
 * an old server or a refusing ACL leaves them empty, or the threshold unknown.
 */
function readLatency(latest: PipelineResult, stats: PipelineResult, threshold: unknown): NodeLatency {
  const events = latest && !latest[0] ? safe(() => parseLatencyLatest(latest[1]), []) : [];
  const percentiles =
    stats && !stats[0] && typeof stats[1] === 'string'
      ? safe(() => parseLatencyStats(parseInfo(stats[1] as string).fields), {})
      : {};
  const thresholdMs = parseLatencyThreshold(pairsToRecord(threshold));
  return {
    events,
    percentiles,
    monitorEnabled: latest !== undefined && !latest[0],
    ...(thresholdMs !== undefined ? { thresholdMs } : {}),
  };
}

function safe<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

type Reply = [Error | null, unknown];

/** One optional command's reply: its value, or undefined with the refusal recorded when the node refused it. */
function optional(reply: Reply | undefined, command: OptionalCommand, refused: RefusedCommand[]): unknown {
  if (!reply) return undefined;
  const [err, value] = reply;
  if (!err) return value;
  if (isRefusal(err.message))
    refused.push({
      command: OPTIONAL_COMMANDS[command].acl,
      feature: OPTIONAL_COMMANDS[command].feature,
      reason: refusalReason(err.message),
    });
  return undefined;
}

/**
 * CLUSTER NODES and INFO (required: without them the node cannot be placed), plus the optional CLUSTER INFO,
 * CONFIG GET, LATENCY and COUNTKEYSINSLOT, in one pipelined round trip within a deadline. A refused optional command
 * is reported, never a reason to call the node unreachable.
 */
export async function pollNode(addr: string, connection: NodeConnection, options: PollOptions): Promise<NodeReport> {
  const started = performance.now();
  try {
    await connection.ready(options.deadlineMs);
  } catch (err) {
    return { addr, ok: false, error: describeNodeError(err, options.secrets) };
  }
  // Optional commands disabled by commandRenames are not sent: each is a refusal, said once, never a failure.
  const disabled: RefusedCommand[] = [];
  const usable = (command: OptionalCommand, name: string): boolean => {
    if (connection.commandName(name) !== null) return true;
    disabled.push({
      command: OPTIONAL_COMMANDS[command].acl,
      feature: OPTIONAL_COMMANDS[command].feature,
      reason: DISABLED_REASON,
    });
    return false;
  };
  const withClusterInfo = (options.withClusterInfo ?? true) && usable('clusterInfo', 'CLUSTER');
  const withConfig = options.withConfig === true && usable('config', 'CONFIG');
  const withLatency = options.withLatency === true && usable('latency', 'LATENCY');
  const withThreshold =
    withLatency && options.withLatencyThreshold === true && connection.commandName('CONFIG') !== null;
  const countSlots = usable('countKeys', 'CLUSTER') ? (options.countKeysIn ?? []) : [];
  const name = (command: string) => connection.nameOf(command);
  const lastView = options.withNodes === false ? options.views?.last(addr) : undefined;
  let pipeline: ReturnType<NodeConnection['redis']['pipeline']>;
  try {
    pipeline = connection.redis.pipeline();
    if (!lastView) pipeline.call(name('CLUSTER'), 'NODES');
    pipeline.call(name('INFO'));
    if (withClusterInfo) pipeline.call(name('CLUSTER'), 'INFO');
    if (withConfig) {
      pipeline.call(name('CONFIG'), 'GET', 'cluster-*');
      // The RDB save points: "" means RDB is off on purpose (the stale-save finding must not fire there).
      pipeline.call(name('CONFIG'), 'GET', 'save');
    }
    if (withLatency) {
      pipeline.call(name('LATENCY'), 'LATEST');
      pipeline.call(name('INFO'), 'latencystats');
    }
    if (withThreshold) pipeline.call(name('CONFIG'), 'GET', 'latency-monitor-threshold');
    for (const slot of countSlots) pipeline.call(name('CLUSTER'), 'COUNTKEYSINSLOT', String(slot));
  } catch (err) {
    return { addr, ok: false, error: describeNodeError(err, options.secrets) };
  }
  const roundTrip = pipeline.exec();
  options.onSent?.(roundTrip);
  try {
    const results = (await withDeadline(roundTrip, options.deadlineMs)) as Reply[] | null;
    const rttMs = Math.round((performance.now() - started) * 10) / 10;
    if (!results) throw new Error('pipeline discarded');
    const queue = [...results];
    const next = (): Reply | undefined => queue.shift();
    const [nodesErr, nodesText] = lastView ? [null, ''] : (next() ?? [new Error('no reply'), undefined]);
    const [infoErr, infoText] = next() ?? [new Error('no reply'), undefined];
    if (nodesErr) throw nodesErr;
    if (infoErr) throw infoErr;
    if (typeof nodesText !== 'string' || typeof infoText !== 'string') throw new Error('reply of an unexpected type');
    const refused: RefusedCommand[] = [...disabled];
    const clusterInfoText = withClusterInfo ? optional(next(), 'clusterInfo', refused) : undefined;
    const configReply = withConfig ? optional(next(), 'config', refused) : undefined;
    const saveReply = withConfig ? optional(next(), 'config', refused) : undefined;
    const latestReply = withLatency ? next() : undefined;
    const statsReply = withLatency ? next() : undefined;
    if (latestReply) optional(latestReply, 'latency', refused);
    const thresholdReply = withThreshold ? optional(next(), 'config', refused) : undefined;
    const slotKeys: Record<number, number> = {};
    for (const slot of countSlots) {
      const count = optional(next(), 'countKeys', refused);
      if (typeof count === 'number') slotKeys[slot] = count;
    }
    const clusterConfig =
      configReply || saveReply ? { ...pairsToRecord(configReply), ...pairsToRecord(saveReply) } : undefined;
    const clusterInfo =
      typeof clusterInfoText === 'string' ? safe(() => parseClusterInfo(clusterInfoText), undefined) : undefined;
    const view = lastView ?? options.views?.read(addr, nodesText, options.keepTimes ?? true);
    return {
      addr,
      ok: true,
      rttMs,
      nodes: view ? view.lines : parseClusterNodes(nodesText),
      ...(view ? { freshLines: view.freshLines } : {}),
      ...(lastView ? { viewFromEarlierPoll: true as const } : {}),
      // Summarized now, the parsed INFO dropped at once (it dies young); the text stays for whoever reads it all.
      infoSummary: summarizeInfo(parseInfoFields(infoText, SUMMARY_FIELDS)),
      info: lazyInfo(infoText),
      ...(clusterInfo ? { clusterInfo } : {}),
      ...(clusterConfig ? { clusterConfig } : {}),
      ...(withLatency ? { latency: readLatency(latestReply, statsReply, thresholdReply) } : {}),
      ...(refused.length ? { refused: dedupe(refused) } : {}),
      ...(countSlots.length ? { slotKeys } : {}),
    };
  } catch (err) {
    // A command failing with NOAUTH after a rejected AUTH: the AUTH error is the one that explains it.
    const cause = connection.lastError && /NOAUTH/.test(String(err)) ? connection.lastError : err;
    return { addr, ok: false, error: describeNodeError(cause, options.secrets) };
  }
}

function dedupe(refused: RefusedCommand[]): RefusedCommand[] {
  return [...new Map(refused.map((r) => [r.command, r])).values()];
}
