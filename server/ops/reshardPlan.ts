import 'server-only';
import type { ReshardRequest } from '@/lib/api/schemas';
import type { ClusterSnapshot, SnapshotNode } from '@/lib/cluster/types';
import type { PreCheck } from '@/lib/failover/prechecks';
import { evaluateFindings } from '@/lib/findings';
import { nodeName } from '@/lib/findings/describe';
import { formatBytes, formatCount } from '@/lib/format';
import type { PreviewKey, ReshardPreview, ReshardPreviewSource } from '@/lib/jobs/reshardPreview';
import { PlanError, planReshard } from '@/lib/plan/reshard';
import { rangesFromSlots } from '@/lib/redis/slots';
import { ApiError } from '../api/errors';
import type { ClusterPoller } from '../collect/poller';
import { MigrationConnections, type MigrationNode, text } from '../migrate/connections';
import { DEFAULT_ENGINE_SETTINGS, type PlannedMove } from '../migrate/engine';
import { measuredRate } from '../migrate/rate';
import { holdingJob } from './operationGuard';

/** Up to this many keys, the preview reads the size of every key (the biggest are then known); beyond, it samples. */
const FULL_SCAN_KEYS = 300_000;
/** Beyond FULL_SCAN_KEYS, and at a job's start: this many keys of each of up to SAMPLE_SLOTS slots are sized. */
const SAMPLE_PER_SLOT = 3;
const SAMPLE_SLOTS = 256;
/** Commands per pipeline while counting and sizing. */
const CHUNK = 4000;
/** Biggest keys named per source. */
const TOP_KEYS = 5;

export interface ReshardPreparation {
  preview: ReshardPreview;
  /** The plan, in the order it runs. */
  moves: PlannedMove[];
  keysTotal: number;
  meanKeyBytes: number;
  /** Keys at least the engine's big-key size: each moves alone. */
  bigKeys: Array<{ slot: number; key: string; bytes: number }>;
  /** How long the preparation took. */
  ms: number;
}

export function migrationNodes(snapshot: ClusterSnapshot): MigrationNode[] {
  return snapshot.nodes
    .filter((n) => n.addr && n.port > 0)
    .map((n) => ({ id: n.id, connectAddr: n.connectAddr ?? n.addr, host: n.host, port: n.port }));
}

interface SourceSizes {
  keys: number;
  bytes: number;
  sampled: boolean;
  keysBySlot: Map<number, number>;
  sized: Array<{ slot: number; key: Buffer; bytes: number }>;
}

async function chunked<T>(items: T[], each: (chunk: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += CHUNK) await each(items.slice(i, i + CHUNK));
}

/** COUNTKEYSINSLOT per slot on a node. */
export async function countKeys(
  conns: MigrationConnections,
  nodeId: string,
  slots: number[],
): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  await chunked(slots, async (chunk) => {
    const replies = await conns.pipeline(
      nodeId,
      'control',
      chunk.map((s) => ['CLUSTER', 'COUNTKEYSINSLOT', s]),
    );
    chunk.forEach((slot, i) => {
      const reply = replies[i];
      if (reply?.error) throw reply.error;
      counts.set(slot, Number(reply?.value ?? 0));
    });
  });
  return counts;
}

/** Up to `max` of the slots that hold keys, spread evenly over them (in the map's order), with their key counts. */
export function spreadSample(keysBySlot: ReadonlyMap<number, number>, max: number): Map<number, number> {
  const withKeys = [...keysBySlot].filter(([, n]) => n > 0);
  const step = Math.max(1, withKeys.length / max);
  const picked = new Map<number, number>();
  for (let i = 0; i < withKeys.length && picked.size < max; i += step) {
    const [slot, n] = withKeys[Math.floor(i)] as [number, number];
    picked.set(slot, n);
  }
  return picked;
}

/** Key names and MEMORY USAGE: every key (`perSlot` undefined) or a sample per slot. */
export async function sizeKeys(
  conns: MigrationConnections,
  nodeId: string,
  counts: Map<number, number>,
  perSlot: number | undefined,
): Promise<Array<{ slot: number; key: Buffer; bytes: number }>> {
  const slots = [...counts].filter(([, n]) => n > 0);
  const named: Array<{ slot: number; key: Buffer }> = [];
  await chunked(slots, async (chunk) => {
    const replies = await conns.pipeline(
      nodeId,
      'control',
      chunk.map(([slot, n]) => ['CLUSTER', 'GETKEYSINSLOT', slot, perSlot === undefined ? n : Math.min(n, perSlot)]),
    );
    chunk.forEach(([slot], i) => {
      const keys = replies[i]?.value;
      if (Array.isArray(keys)) for (const key of keys as Buffer[]) named.push({ slot, key });
    });
  });
  const sized: Array<{ slot: number; key: Buffer; bytes: number }> = [];
  await chunked(named, async (chunk) => {
    const replies = await conns.pipeline(
      nodeId,
      'control',
      chunk.map((k) => ['MEMORY', 'USAGE', k.key]),
    );
    chunk.forEach((k, i) => {
      const bytes = replies[i]?.value;
      if (typeof bytes === 'number') sized.push({ ...k, bytes });
    });
  });
  return sized;
}

async function sourceSizes(
  conns: MigrationConnections,
  nodeId: string,
  slots: number[],
  full: (keys: number) => boolean,
): Promise<SourceSizes> {
  const keysBySlot = await countKeys(conns, nodeId, slots);
  const keys = [...keysBySlot.values()].reduce((a, b) => a + b, 0);
  const sampled = !full(keys);
  if (!sampled) {
    const sized = await sizeKeys(conns, nodeId, keysBySlot, undefined);
    return { keys, bytes: sized.reduce((a, k) => a + k.bytes, 0), sampled, keysBySlot, sized };
  }
  // A few keys of up to SAMPLE_SLOTS slots spread over the range: each sampled slot at its own mean, the rest at the
  // mean of all samples.
  const sized = await sizeKeys(conns, nodeId, spreadSample(keysBySlot, SAMPLE_SLOTS), SAMPLE_PER_SLOT);
  const bySlot = new Map<number, number[]>();
  for (const k of sized) bySlot.set(k.slot, [...(bySlot.get(k.slot) ?? []), k.bytes]);
  const mean = sized.length ? sized.reduce((a, k) => a + k.bytes, 0) / sized.length : 0;
  let bytes = 0;
  for (const [slot, n] of keysBySlot) {
    const sample = bySlot.get(slot);
    bytes += (sample?.length ? sample.reduce((a, b) => a + b, 0) / sample.length : mean) * n;
  }
  return { keys, bytes: Math.round(bytes), sampled, keysBySlot, sized };
}

/** Atomic slot migration, by the commands the nodes know (Valkey 9 CLUSTER MIGRATESLOTS, Redis 8.4 CLUSTER MIGRATION). */
async function atomicMigration(conns: MigrationConnections, nodeIds: string[]): Promise<ReshardPreview['atomic']> {
  const CANDIDATES = [
    { name: 'cluster|migrateslots', command: 'CLUSTER MIGRATESLOTS', server: 'Valkey 9.0' },
    { name: 'cluster|migration', command: 'CLUSTER MIGRATION', server: 'Redis 8.4' },
  ];
  const known = await Promise.all(
    nodeIds.map(async (id) => {
      const reply = await conns
        .call(id, 'control', ['COMMAND', 'INFO', ...CANDIDATES.map((c) => c.name)])
        .catch(() => undefined);
      return Array.isArray(reply) ? CANDIDATES.filter((_, i) => reply[i] !== null && reply[i] !== undefined) : [];
    }),
  );
  const everywhere = CANDIDATES.find((c) => known.every((k) => k.includes(c)));
  if (everywhere)
    return {
      available: true,
      command: everywhere.command,
      detail: `every node involved knows ${everywhere.command}; this dashboard moves slots key by key all the same (no test here can run the atomic path yet)`,
    };
  return {
    available: false,
    detail: 'needs Valkey 9.0 (CLUSTER MIGRATESLOTS) or Redis 8.4 (CLUSTER MIGRATION) on every node involved',
  };
}

export function check(name: string, status: PreCheck['status'], value: string, detail?: string): PreCheck {
  return { name, status, value, ...(detail ? { detail } : {}) };
}

const ORDER: Record<PreCheck['status'], number> = { fail: 0, warn: 1, pass: 2 };

/** redis-cli's gate (all slots covered, no open slot, every node agrees) and the dashboard's own (see the names). */
function gateChecks(snapshot: ClusterSnapshot, target: SnapshotNode, sources: SnapshotNode[]): PreCheck[] {
  const checks = clusterGate(snapshot);
  checks.push(...targetChecks(target));
  checks.push(sourcesCheck(sources));
  return checks;
}

/**
 * No member outside nodeNetworks: a slot move reads and tells every node, and the dashboard never connects to those
 * (the node_outside_networks finding says what to do).
 */
export function nodeNetworksCheck(snapshot: ClusterSnapshot): PreCheck {
  const outside = snapshot.nodes.filter((n) => n.outsideNodeNetworks);
  return outside.length
    ? check(
        'every node inside nodeNetworks',
        'fail',
        outside.map((n) => n.connectAddr ?? n.addr).join(', '),
        `${outside.map(nodeName).join(', ')} ${outside.length === 1 ? 'is' : 'are'} outside this cluster's nodeNetworks: the dashboard does not connect there. Add the network to nodeNetworks if the node is legitimate; otherwise CLUSTER FORGET it on every node.`,
      )
    : check('every node inside nodeNetworks', 'pass', 'yes');
}

/**
 * redis-cli's gate for any slot move: cluster_state ok, all slots covered, no open slot, every node agrees; and every
 * node inside nodeNetworks.
 */
export function clusterGate(snapshot: ClusterSnapshot): PreCheck[] {
  const findings = evaluateFindings(snapshot);
  const finding = (code: string) => findings.find((f) => f.code === code);
  const checks: PreCheck[] = [];
  checks.push(
    snapshot.status === 'ok'
      ? check('cluster state', 'pass', 'ok')
      : check('cluster state', 'fail', snapshot.status, 'the cluster does not report cluster_state:ok'),
  );
  const uncovered = finding('slots_uncovered');
  checks.push(
    uncovered
      ? check('all 16384 slots covered', 'fail', `${uncovered.slots?.length ?? 0} uncovered`, uncovered.message)
      : check('all 16384 slots covered', 'pass', 'yes'),
  );
  const open = findings.filter((f) => f.code === 'slot_open');
  checks.push(
    open.length
      ? check(
          'no open slot',
          'fail',
          `${open.length} node(s) with open slots`,
          `${open.map((f) => f.message).join(' ')} Fix them first (redis-cli --cluster fix), or resume/roll back the job that left them.`,
        )
      : check('no open slot', 'pass', 'none'),
  );
  const disagree = finding('config_disagreement');
  checks.push(
    disagree
      ? check('every node agrees on the slot owners', 'fail', 'no', disagree.message)
      : check('every node agrees on the slot owners', 'pass', 'yes'),
  );
  checks.push(nodeNetworksCheck(snapshot));
  return checks;
}

/** A master that takes slots: reachable, itself seeing the cluster ok. */
export function targetChecks(target: SnapshotNode): PreCheck[] {
  const checks: PreCheck[] = [];
  checks.push(
    target.reachable
      ? check('target reachable', 'pass', nodeName(target))
      : check('target reachable', 'fail', nodeName(target), target.error ?? 'no reply to the dashboard'),
  );
  // A master just added answers CLUSTERDOWN until it has learned the slot map: a slot moved to it then stays open.
  if (target.clusterState !== undefined && target.clusterState !== 'ok')
    checks.push(
      check(
        'target sees the cluster ok',
        'fail',
        `cluster_state:${target.clusterState}`,
        'wait until the target itself reports cluster_state:ok (a node just added needs a moment to learn the slot map)',
      ),
    );
  checks.push(check('target is a master', 'pass', `${nodeName(target)}, ${formatCount(target.slotCount)} slots`));
  return checks;
}

/** Masters that give slots: answering the dashboard and healthy in the cluster. */
export function sourcesCheck(sources: SnapshotNode[]): PreCheck {
  const down = sources.filter(
    (n) => !n.reachable || n.flags.includes('fail') || n.flags.includes('fail?') || (n.pfailSeenBy?.length ?? 0) > 0,
  );
  return down.length
    ? check(
        'sources up and reachable',
        'fail',
        down.map(nodeName).join(', '),
        'a source must answer the dashboard and be healthy in the cluster for its keys to move',
      )
    : check('sources up and reachable', 'pass', `${sources.length} source(s)`);
}

export function memoryCheck(target: SnapshotNode, bytes: number, sampled: boolean): PreCheck {
  const used = target.info?.used_memory ?? 0;
  const max = target.info?.maxmemory ?? 0;
  const estimate = `${formatBytes(bytes)} to move${sampled ? ' (estimated from samples)' : ''}`;
  if (!target.info) return check('memory headroom on the target', 'warn', estimate, 'the target sent no INFO memory');
  if (!max)
    return check(
      'memory headroom on the target',
      'warn',
      `${formatBytes(used)} used + ${estimate}; no maxmemory`,
      'without maxmemory the limit is the host: check it has room for the keys to move',
    );
  const after = (used + bytes) / max;
  const value = `${formatBytes(used)} used + ${estimate} of ${formatBytes(max)} (${Math.round(after * 100)} %)`;
  if (after > 0.9)
    return check(
      'memory headroom on the target',
      'fail',
      value,
      'the target would be over 90 % of maxmemory: it could evict or refuse writes (OOM) mid-move',
    );
  if (after > 0.75)
    return check('memory headroom on the target', 'warn', value, 'the target would be over 75 % of maxmemory');
  return check('memory headroom on the target', 'pass', value);
}

/**
 * The plan for a request and everything the operator should see before it runs: per source the slots, keys
 * (COUNTKEYSINSLOT), estimated bytes and biggest keys; the pre-flight checks; an ETA from the engine's last measured
 * rate; whether atomic slot migration is available. Reads only; `sizes: 'sample'` reads a few keys per slot
 * (the job's own pre-flight), 'full' the size of every key when there are not too many (the preview).
 */
export async function prepareReshard(
  poller: ClusterPoller,
  request: ReshardRequest,
  options: { sizes: 'full' | 'sample'; exceptJob?: string },
): Promise<ReshardPreparation> {
  const started = Date.now();
  // A poll started now, not the cached snapshot: that one may predate the end of the previous operation (its open
  // slots, its old owners).
  const snapshot = await poller.fresh().catch((err: unknown) => {
    throw new ApiError('not_ready', `could not read the cluster: ${err instanceof Error ? err.message : String(err)}`);
  });
  let plan: ReturnType<typeof planReshard>;
  try {
    plan = planReshard(
      snapshot.nodes,
      request.target,
      'slots' in request ? { slots: request.slots } : { count: request.count, sources: request.sources },
    );
  } catch (err) {
    if (err instanceof PlanError) throw new ApiError('bad_request', err.message);
    throw err;
  }
  const byId = new Map(snapshot.nodes.map((n) => [n.id, n]));
  const target = byId.get(plan.targetId) as SnapshotNode;
  const sources = plan.sources.map((s) => byId.get(s.nodeId)).filter((n): n is SnapshotNode => n !== undefined);
  const checks = gateChecks(snapshot, target, sources);
  const holder = holdingJob(poller.cluster.id, options.exceptJob);
  checks.push(
    holder
      ? check(
          'no other operation on this cluster',
          'fail',
          `${holder.kind} ${holder.id}`,
          `${holder.kind} job ${holder.id} started by ${holder.startedBy} is ${holder.state === 'running' ? 'running' : 'holding open slots'}`,
        )
      : check('no other operation on this cluster', 'pass', 'none'),
  );
  const moves: PlannedMove[] = plan.moves.map((m) => ({ ...m, targetId: plan.targetId }));
  const conns = new MigrationConnections(poller.cluster, migrationNodes(snapshot));
  try {
    const reachable = (id: string) => byId.get(id)?.reachable === true;
    let budget = FULL_SCAN_KEYS;
    const sizes = new Map<string, SourceSizes>();
    for (const source of plan.sources) {
      if (!reachable(source.nodeId)) continue;
      sizes.set(
        source.nodeId,
        await sourceSizes(conns, source.nodeId, source.slots, (keys) => {
          const full = options.sizes === 'full' && keys <= budget;
          if (full) budget -= keys;
          return full;
        }),
      );
    }
    const onTarget = target.reachable
      ? await countKeys(
          conns,
          target.id,
          moves.map((m) => m.slot),
        )
      : new Map<number, number>();
    const atomic = await atomicMigration(conns, [target.id, ...plan.sources.map((s) => s.nodeId)].filter(reachable));
    const bigBytes = DEFAULT_ENGINE_SETTINGS.bigKeyBytes;
    const previewSources: ReshardPreviewSource[] = [];
    const bigKeys: ReshardPreparation['bigKeys'] = [];
    for (const source of plan.sources) {
      const node = byId.get(source.nodeId);
      const s = sizes.get(source.nodeId);
      const top = [...(s?.sized ?? [])].sort((a, b) => b.bytes - a.bytes).slice(0, TOP_KEYS);
      const keyTypes = await conns
        .pipeline(
          source.nodeId,
          'control',
          top.map((k) => ['TYPE', k.key]),
        )
        .catch(() => []);
      const named: PreviewKey[] = top.map((k, i) => {
        const type = keyTypes[i]?.value;
        return {
          key: k.key.toString('utf8'),
          slot: k.slot,
          ...(type !== undefined ? { type: text(type) } : {}),
          bytes: k.bytes,
          big: k.bytes >= bigBytes,
        };
      });
      for (const k of s?.sized ?? [])
        if (k.bytes >= bigBytes) bigKeys.push({ slot: k.slot, key: k.key.toString('utf8'), bytes: k.bytes });
      previewSources.push({
        nodeId: source.nodeId,
        addr: node?.addr || source.nodeId.slice(0, 8),
        slots: rangesFromSlots(source.slots),
        slotCount: source.slots.length,
        keys: s?.keys ?? 0,
        bytes: s?.bytes ?? 0,
        bigKeys: named,
      });
    }
    const keys = previewSources.reduce((a, s) => a + s.keys, 0);
    const bytes = previewSources.reduce((a, s) => a + s.bytes, 0);
    const sampled = [...sizes.values()].some((s) => s.sampled);
    checks.push(memoryCheck(target, bytes, sampled));
    const present = [...onTarget.values()].reduce((a, b) => a + b, 0);
    const presentSlots = [...onTarget.values()].filter((n) => n > 0).length;
    const replace = request.options?.replace === true;
    checks.push(
      present === 0
        ? check('no keys on the target in these slots', 'pass', 'none')
        : check(
            'no keys on the target in these slots',
            'warn',
            `${formatCount(present)} key(s) in ${formatCount(presentSlots)} slot(s)`,
            replace
              ? 'the target already holds keys in slots it does not own: with "replace" the source\'s values overwrite them'
              : 'the target already holds keys in slots it does not own: a key with the same value is replaced; one with another value stops the move there, naming it (choose "replace" to overwrite)',
          ),
    );
    if (bigKeys.length) {
      const biggest = [...bigKeys].sort((a, b) => b.bytes - a.bytes)[0];
      checks.push(
        check(
          `no key over ${formatBytes(bigBytes)}`,
          'warn',
          `${bigKeys.length} big key(s)${biggest ? `, the biggest "${biggest.key}" ${formatBytes(biggest.bytes)}` : ''}`,
          'each moves alone, with a timeout scaled to its size; both nodes block while MIGRATE serialises it',
        ),
      );
    } else if (sampled) {
      checks.push(
        check(
          `no key over ${formatBytes(bigBytes)}`,
          'warn',
          'not known',
          `sizes were sampled (${SAMPLE_PER_SLOT} keys in each of up to ${SAMPLE_SLOTS} slots per source), so a big key may be missed`,
        ),
      );
    }
    checks.sort((a, b) => ORDER[a.status] - ORDER[b.status]);
    const rate = measuredRate(poller.cluster.id);
    const sizedKeys = [...sizes.values()].flatMap((s) => s.sized);
    const meanKeyBytes = sizedKeys.length ? sizedKeys.reduce((a, k) => a + k.bytes, 0) / sizedKeys.length : 512;
    const preview: ReshardPreview = {
      targetId: plan.targetId,
      sources: previewSources,
      slots: moves.length,
      keys,
      bytes,
      ...(rate ? { keysPerSec: rate, etaMs: Math.round((keys / rate) * 1000) } : {}),
      checks,
      allowed: checks.every((c) => c.status !== 'fail'),
      atomic,
    };
    return { preview, moves, keysTotal: keys, meanKeyBytes, bigKeys, ms: Date.now() - started };
  } finally {
    conns.close();
  }
}

/** A preview's big keys are kept this long: a start of the same request right after moves them alone too. */
const KEEP_BIG_KEYS_MS = 10 * 60_000;
const BIG_KEYS = Symbol.for('redis-cluster-dashboard.reshard-big-keys');
type Holder = { [BIG_KEYS]?: Map<string, { at: number; bigKeys: ReshardPreparation['bigKeys'] }> };

function bigKeyCache() {
  const holder = globalThis as Holder;
  holder[BIG_KEYS] ??= new Map();
  return holder[BIG_KEYS];
}

const cacheKey = (clusterId: string, request: ReshardRequest) =>
  `${clusterId} ${JSON.stringify({ ...request, options: undefined })}`;

/** The big keys the last preview of this request found (the job's own pre-flight only samples). */
export function previewedBigKeys(clusterId: string, request: ReshardRequest): ReshardPreparation['bigKeys'] {
  const cached = bigKeyCache().get(cacheKey(clusterId, request));
  return cached && Date.now() - cached.at < KEEP_BIG_KEYS_MS ? cached.bigKeys : [];
}

/** POST /reshard/plan. */
export async function reshardPreview(poller: ClusterPoller, request: ReshardRequest): Promise<ReshardPreview> {
  const prep = await prepareReshard(poller, request, { sizes: 'full' });
  const cache = bigKeyCache();
  for (const [key, value] of cache) if (Date.now() - value.at > KEEP_BIG_KEYS_MS) cache.delete(key);
  cache.set(cacheKey(poller.cluster.id, request), { at: Date.now(), bigKeys: prep.bigKeys });
  return prep.preview;
}
