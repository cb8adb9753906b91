import 'server-only';
import type { SnapshotNode } from '@/lib/cluster/types';
import { bigKeysTargets, skippedSummary } from '@/lib/jobs/bigKeysTargets';
import { TopN } from '@/lib/jobs/topN';
import type { BigKey, BigKeysResult, SkippedShard } from '@/lib/jobs/types';
import { describeNodeError } from '../collect/errors';
import type { ClusterPoller } from '../collect/poller';
import { onAbort, sleepUnlessAborted } from '../jobs/abortWatch';
import type { JobHandle } from '../jobs/registry';
import { NodeConnection } from '../redis/nodeClient';

export interface BigKeysOptions {
  nodeId?: string;
  top: number;
  /** SCAN COUNT per batch. */
  batch: number;
  /** Pause after each batch, so the node's latency stays flat. */
  pauseMs: number;
}

const LENGTH: Record<string, string> = {
  string: 'STRLEN',
  list: 'LLEN',
  hash: 'HLEN',
  set: 'SCARD',
  zset: 'ZCARD',
  stream: 'XLEN',
};

/** Per shard: a healthy replica when there is one (keeps the scan off the master), else the master. */
export function scanTargets(poller: ClusterPoller, nodeId?: string): SnapshotNode[] {
  return bigKeysTargets(poller.latest?.nodes ?? [], nodeId).targets;
}

/** Why scanTargets found nothing to scan, naming the node asked for, or the shards left out and why. */
export function noTargetReason(poller: ClusterPoller, nodeId?: string): string {
  if (!nodeId) return `no reachable node to scan${withSkipped(bigKeysTargets(poller.latest?.nodes ?? []).skipped)}`;
  const node = poller.latest?.nodes.find((n) => n.id === nodeId);
  if (!node) return 'that node is not a member';
  return `${node.addr || node.id} is not reachable from the dashboard (${node.error ?? 'no reply'})`;
}

const withSkipped = (skipped: readonly SkippedShard[]) => {
  const summary = skippedSummary(skipped);
  return summary ? ` (${summary})` : '';
};

interface ScanTotals {
  byMemory: TopN<BigKey>;
  byElements: TopN<BigKey>;
  scanned: number;
  total: number;
}

/**
 * One node's part: SCAN in batches, then MEMORY USAGE, TYPE and the element count of each key. `stop` ends it: the
 * connection is closed at once (a batch in flight is abandoned), so nothing more reaches the node.
 */
async function scanNode(
  poller: ClusterPoller,
  node: SnapshotNode,
  handle: JobHandle<BigKeysResult>,
  stop: AbortSignal,
  totals: ScanTotals,
  options: BigKeysOptions,
): Promise<number> {
  const name = `scan ${node.addr} (${node.role})`;
  const secrets = poller.cluster.password ? [poller.cluster.password] : [];
  // Stopped before this part began (an already-aborted signal never fires its listener): no connection at all.
  if (stop.aborted) {
    handle.step(name, 'skipped', '0 keys');
    return 0;
  }
  handle.step(name, 'running');
  let count = 0;
  let connection: NodeConnection | undefined;
  // One listener on `stop` for all the parts together (see onAbort): a part per shard, each also sleeping on it.
  const forgetHangUp = onAbort(stop, () => connection?.close());
  try {
    connection = new NodeConnection(node.connectAddr ?? node.addr, poller.cluster, 10_000);
    await connection.ready(poller.cluster.connectTimeoutMs);
    const redis = connection.redis;
    const on = connection;
    if (node.role === 'replica') await on.call('READONLY');
    let cursor = '0';
    do {
      const [next, keys] = (await on.call('SCAN', cursor, 'COUNT', String(options.batch))) as [string, string[]];
      cursor = next;
      if (keys.length) {
        const first = redis.pipeline();
        for (const key of keys) {
          first.call(on.nameOf('MEMORY'), 'USAGE', key, 'SAMPLES', '5');
          first.call(on.nameOf('TYPE'), key);
        }
        const meta = (await first.exec()) ?? [];
        const types = keys.map((_, i) => String(meta[i * 2 + 1]?.[1] ?? 'none'));
        const second = redis.pipeline();
        keys.forEach((key, i) => {
          const command = LENGTH[types[i] ?? ''];
          if (command) second.call(on.nameOf(command), key);
          else second.call(on.nameOf('EXISTS'), key);
        });
        const lengths = (await second.exec()) ?? [];
        if (stop.aborted) break;
        keys.forEach((key, i) => {
          const entry: BigKey = {
            key,
            type: types[i] ?? 'none',
            bytes: Number(meta[i * 2]?.[1] ?? 0),
            elements: Number(lengths[i]?.[1] ?? 0),
            nodeId: node.id,
            addr: node.addr,
          };
          totals.byMemory.offer(entry);
          if (entry.type !== 'string') totals.byElements.offer(entry);
        });
        count += keys.length;
        totals.scanned += keys.length;
        handle.progress(totals.scanned, Math.max(totals.total, totals.scanned), 'keys');
      }
      await sleepUnlessAborted(options.pauseMs, stop);
    } while (cursor !== '0' && !stop.aborted);
    handle.step(name, stop.aborted ? 'skipped' : 'done', `${count} keys`);
    return count;
  } catch (err) {
    // Closed by `stop` (a cancel, or another node's part failing): stopped, not failed.
    if (stop.aborted) {
      handle.step(name, 'skipped', `${count} keys`);
      return count;
    }
    handle.step(name, 'failed', describeNodeError(err, secrets));
    throw new Error(`scan of ${node.addr} failed: ${describeNodeError(err, secrets)}`);
  } finally {
    forgetHangUp();
    connection?.close();
  }
}

/**
 * redis-cli --bigkeys / --memkeys over the whole cluster: SCAN each target node in small batches with a pause,
 * MEMORY USAGE and the element count of every key, the top N by each. On its own connection per node, so polling
 * is never queued behind the scan. A cancel, or any node's part failing, stops every node's part; the job ends only
 * once all of them have stopped and closed their connections.
 */
export async function scanBigKeys(
  poller: ClusterPoller,
  handle: JobHandle<BigKeysResult>,
  options: BigKeysOptions,
): Promise<BigKeysResult> {
  const { targets, skipped } = bigKeysTargets(poller.latest?.nodes ?? [], options.nodeId);
  if (targets.length === 0) throw new Error(`no reachable node to scan${withSkipped(skipped)}`);
  // Said before the scan starts and kept in the job's steps: a top list without these shards is not the cluster's.
  for (const shard of skipped)
    handle.step(`not scanned: shard ${shard.addr} (slots ${shard.slots})`, 'skipped', shard.reason);
  const totals: ScanTotals = {
    byMemory: new TopN<BigKey>(options.top, (k) => k.bytes),
    byElements: new TopN<BigKey>(options.top, (k) => k.elements),
    scanned: 0,
    total: targets.reduce((s, n) => s + (n.info?.keys ?? 0), 0),
  };
  const stop = new AbortController();
  const forgetCancel = onAbort(handle.signal, () => stop.abort());
  handle.progress(0, totals.total, 'keys');
  const perNode: BigKeysResult['nodes'] = [];
  try {
    const parts = await Promise.allSettled(
      targets.map(async (node) => {
        try {
          const scanned = await scanNode(poller, node, handle, stop.signal, totals, options);
          perNode.push({ nodeId: node.id, addr: node.addr, role: node.role, scanned });
        } catch (err) {
          stop.abort();
          throw err;
        }
      }),
    );
    const failed = parts.find((p): p is PromiseRejectedResult => p.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    forgetCancel();
  }
  const coverage = skippedSummary(skipped);
  if (coverage) handle.step('scan coverage', 'skipped', coverage);
  return {
    top: options.top,
    scannedKeys: totals.scanned,
    nodes: perNode,
    byMemory: totals.byMemory.values(),
    byElements: totals.byElements.values(),
    skippedShards: skipped,
    complete: skipped.length === 0 && !stop.signal.aborted,
  };
}
