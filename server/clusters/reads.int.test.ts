import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyHashSlot } from '../../lib/redis/crc16';
import { commandCalls } from '../../lib/redis/info';
import { type DevCluster, type DevNode, evenSlotRanges } from '../../scripts/devcluster/cluster';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { ClusterCollector } from '../collect/collector';
import { ClusterReads, READ_LIMITS } from './reads';

let dev: DevCluster;
let node: DevNode;

beforeAll(async () => {
  dev = await startThreeHostCluster({ replicasPerMaster: 0 });
  const first = dev.masters[0];
  if (!first) throw new Error('no master');
  node = first;
});
afterAll(async () => {
  await dev?.stop();
});

/** Calls of one command on the node since it started (INFO commandstats), e.g. "slowlog|get". */
async function calls(command: string): Promise<number> {
  return commandCalls(String(await dev.client(node).call('INFO', 'commandstats'))).get(command) ?? 0;
}

const members = () => new Set(dev.nodes.map((n) => n.addr));

/** Waits for the start of a fresh refresh period, so the next reads surely share it. */
async function periodStart(refreshMs: number): Promise<void> {
  const left = refreshMs - (Date.now() % refreshMs);
  await new Promise((resolve) => setTimeout(resolve, left + 20));
}

/** A key the node owns (a slot in its range), so a command on it is served, not MOVED. */
function ownedKey(index: number, suffix: string): string {
  const [from, to] = evenSlotRanges(3)[index] ?? [0, 0];
  for (let i = 0; ; i++) {
    const key = `{k${i}}${suffix}`;
    const slot = keyHashSlot(key);
    if (slot >= from && slot <= to) return key;
  }
}

describe('request-driven reads', () => {
  it('fifty concurrent identical reads are one round trip; later ones in the same period are answered from it', async () => {
    const reads = new ClusterReads(resolvedClusterFor(dev), members);
    try {
      await periodStart(2000);
      const before = await calls('slowlog|get');
      const results = await Promise.all(
        Array.from({ length: 50 }, () => reads.read(node.addr, ['SLOWLOG', 'GET', '128'], 2000)),
      );
      expect(results.every((r) => r.kind === 'reply')).toBe(true);
      expect(new Set(results).size).toBe(1);
      expect(await calls('slowlog|get')).toBe(before + 1);

      // Later, same period: still the one reply. A different argument is a different read.
      expect((await reads.read(node.addr, ['SLOWLOG', 'GET', '128'], 2000)).kind).toBe('reply');
      expect(await calls('slowlog|get')).toBe(before + 1);
      await reads.read(node.addr, ['SLOWLOG', 'GET', '10'], 2000);
      expect(await calls('slowlog|get')).toBe(before + 2);

      // The next period asks the node again, once.
      await periodStart(2000);
      await Promise.all(Array.from({ length: 10 }, () => reads.read(node.addr, ['SLOWLOG', 'GET', '128'], 2000)));
      expect(await calls('slowlog|get')).toBe(before + 3);
    } finally {
      reads.close();
    }
  });

  it('a command the ACL refuses is a typed "not permitted" naming the user; allowed ones still answer', async () => {
    const admin = dev.client(node);
    await admin.call(
      'ACL',
      'SETUSER',
      'monitor',
      'reset',
      'on',
      '>monitor-pw',
      '+ping',
      '+info',
      '+cluster|nodes',
      '+cluster|info',
      '+cluster|countkeysinslot',
    );
    const reads = new ClusterReads(resolvedClusterFor(dev, { username: 'monitor', password: 'monitor-pw' }), members);
    try {
      expect(await reads.read(node.addr, ['SLOWLOG', 'GET', '128'], 1000)).toEqual({
        kind: 'not_permitted',
        notPermitted: { user: 'monitor', command: 'slowlog|get' },
      });
      expect(await reads.read(node.addr, ['CLUSTER', 'LINKS'], 1000)).toEqual({
        kind: 'not_permitted',
        notPermitted: { user: 'monitor', command: 'cluster|links' },
      });
      expect(await reads.read(node.addr, ['CLUSTER', 'COUNTKEYSINSLOT', '0'], 1000)).toEqual({
        kind: 'reply',
        reply: 0,
      });
    } finally {
      reads.close();
      await admin.call('ACL', 'DELUSER', 'monitor');
    }
  });

  it('a read blocked on a node never delays the poll of that node', async () => {
    const cluster = resolvedClusterFor(dev, { nodeDeadlineMs: 500 });
    const collector = new ClusterCollector(cluster);
    const reads = new ClusterReads(cluster, members);
    try {
      await waitFor(
        'a first poll with every node',
        async () => ((await collector.collect()).summary.reachable === 3 ? true : undefined),
        10_000,
        100,
      );
      // BLPOP holds the read connection for 1.5 s; a poll on that same connection would miss its 500 ms deadline.
      const blocked = reads.read(node.addr, ['BLPOP', ownedKey(0, 'blocked'), '1.5'], 1000);
      await waitFor(
        'the read to block on the node',
        async () => (/cmd=blpop/.test(String(await dev.client(node).call('CLIENT', 'LIST'))) ? true : undefined),
        5000,
        20,
      );
      const snapshot = await collector.collect();
      expect(snapshot.nodes.find((n) => n.id === node.id)?.reachable).toBe(true);
      expect(snapshot.pollDurationMs).toBeLessThan(500);
      expect(await blocked).toEqual({ kind: 'reply', reply: null });
    } finally {
      reads.close();
      collector.close();
    }
  });

  it('bounds the reads per node, and closes the connection to a node that left', async () => {
    let current = members();
    const reads = new ClusterReads(resolvedClusterFor(dev), () => current, {
      ...READ_LIMITS,
      inFlightPerNode: 1,
      queuePerNode: 2,
    });
    try {
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => reads.read(node.addr, ['BLPOP', ownedKey(0, `q${i}`), '0.2'], 1000)),
      );
      expect(results.filter((r) => r.kind === 'reply')).toHaveLength(3);
      expect(results.filter((r) => r.kind === 'error' && r.busy)).toHaveLength(2);
      // "Busy" is not kept: the same read succeeds once the node has room again.
      expect((await reads.read(node.addr, ['BLPOP', ownedKey(0, 'q4'), '0.01'], 1000)).kind).toBe('reply');

      const named = async () =>
        (String(await dev.client(node).call('CLIENT', 'LIST')).match(/name=cluster-dashboard /g) ?? []).length;
      expect(reads.openAddrs()).toEqual([node.addr]);
      expect(await named()).toBe(1);
      current = new Set();
      reads.sweep();
      expect(reads.openAddrs()).toEqual([]);
      await waitFor(
        'the node to see the connection closed',
        async () => ((await named()) === 0 ? true : undefined),
        5000,
      );
    } finally {
      reads.close();
    }
  });
});
