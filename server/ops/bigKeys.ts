import 'server-only';
import type { SnapshotNode } from '@/lib/cluster/types';
import { TopN } from '@/lib/jobs/topN';
import type { BigKey, BigKeysResult } from '@/lib/jobs/types';
import { describeNodeError } from '../collect/errors';
import type { ClusterPoller } from '../collect/poller';
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
  const nodes = poller.latest?.nodes ?? [];
  if (nodeId) return nodes.filter((n) => n.id === nodeId && n.reachable);
  return nodes
    .filter((n) => n.role === 'master' && n.slotCount > 0)
    .map((master) => {
      const replica = nodes.find(
        (r) => r.role === 'replica' && r.masterId === master.id && r.reachable && r.info?.master_link_status === 'up',
      );
      return replica ?? master;
    })
    .filter((n) => n.reachable);
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * redis-cli --bigkeys / --memkeys over the whole cluster: SCAN each target node in small batches with a pause,
 * MEMORY USAGE and the element count of every key, the top N by each. On its own connection per node, so polling
 * is never queued behind the scan.
 */
export async function scanBigKeys(
  poller: ClusterPoller,
  handle: JobHandle<BigKeysResult>,
  options: BigKeysOptions,
): Promise<BigKeysResult> {
  const targets = scanTargets(poller, options.nodeId);
  if (targets.length === 0) throw new Error('no reachable node to scan');
  const total = targets.reduce((s, n) => s + (n.info?.keys ?? 0), 0);
  const byMemory = new TopN<BigKey>(options.top, (k) => k.bytes);
  const byElements = new TopN<BigKey>(options.top, (k) => k.elements);
  const secrets = poller.cluster.password ? [poller.cluster.password] : [];
  let scanned = 0;
  const perNode: BigKeysResult['nodes'] = [];
  handle.progress(0, total, 'keys');
  await Promise.all(
    targets.map(async (node) => {
      const name = `scan ${node.addr} (${node.role})`;
      handle.step(name, 'running');
      const connection = new NodeConnection(node.connectAddr ?? node.addr, poller.cluster, 10_000);
      let count = 0;
      try {
        await connection.ready(poller.cluster.connectTimeoutMs);
        const redis = connection.redis;
        if (node.role === 'replica') await redis.call('READONLY');
        let cursor = '0';
        do {
          const [next, keys] = (await redis.call('SCAN', cursor, 'COUNT', String(options.batch))) as [string, string[]];
          cursor = next;
          if (keys.length) {
            const first = redis.pipeline();
            for (const key of keys) {
              first.call('MEMORY', 'USAGE', key, 'SAMPLES', '5');
              first.call('TYPE', key);
            }
            const meta = (await first.exec()) ?? [];
            const types = keys.map((_, i) => String(meta[i * 2 + 1]?.[1] ?? 'none'));
            const second = redis.pipeline();
            keys.forEach((key, i) => {
              const command = LENGTH[types[i] ?? ''];
              if (command) second.call(command, key);
              else second.call('EXISTS', key);
            });
            const lengths = (await second.exec()) ?? [];
            keys.forEach((key, i) => {
              const bytes = Number(meta[i * 2]?.[1] ?? 0);
              const elements = Number(lengths[i]?.[1] ?? 0);
              const entry: BigKey = {
                key,
                type: types[i] ?? 'none',
                bytes,
                elements,
                nodeId: node.id,
                addr: node.addr,
              };
              byMemory.offer(entry);
              if (entry.type !== 'string') byElements.offer(entry);
            });
            count += keys.length;
            scanned += keys.length;
            handle.progress(scanned, Math.max(total, scanned), 'keys');
          }
          await sleep(options.pauseMs, handle.signal);
        } while (cursor !== '0' && !handle.signal.aborted);
        handle.step(name, handle.signal.aborted ? 'skipped' : 'done', `${count} keys`);
      } catch (err) {
        handle.step(name, 'failed', describeNodeError(err, secrets));
        throw new Error(`scan of ${node.addr} failed: ${describeNodeError(err, secrets)}`);
      } finally {
        perNode.push({ nodeId: node.id, addr: node.addr, role: node.role, scanned: count });
        connection.close();
      }
    }),
  );
  return {
    top: options.top,
    scannedKeys: scanned,
    nodes: perNode,
    byMemory: byMemory.values(),
    byElements: byElements.values(),
  };
}
