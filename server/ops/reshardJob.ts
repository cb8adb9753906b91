import 'server-only';
import type { Principal } from '@/lib/auth/access';
import { principalLabel } from '@/lib/auth/access';
import type { Job, OpenSlot, ReshardOptions, ReshardResult, SlotMovingKind } from '@/lib/jobs/types';
import { mapToCurrentMasters } from '@/lib/plan/shardMasters';
import { parseClusterNodes } from '@/lib/redis/clusterNodes';
import { rangeContains } from '@/lib/redis/slots';
import { audit } from '../audit/log';
import type { ClusterPoller } from '../collect/poller';
import type { JobHandle } from '../jobs/registry';
import { MigrationConnections, text } from '../migrate/connections';
import { type EngineResult, type PlannedMove, SlotMigrator } from '../migrate/engine';
import { MigrationError } from '../migrate/errors';
import { migrationJournal } from '../migrate/journal';
import { openSlotsOf } from '../migrate/openSlots';
import { recordRate } from '../migrate/rate';
import { migrationNodes } from './reshardPlan';

export type ReshardMode = 'start' | 'resume' | 'rollback';

/** The steps each mode declares (names stay unique across a job's start, resume and roll back). */
export const RESHARD_STEPS: Record<ReshardMode, { move: string; verify: string }> = {
  start: { move: 'move slots', verify: 'every node agrees' },
  resume: { move: 'resume: finish open slots, then the rest', verify: 'every node agrees (after resume)' },
  rollback: { move: 'roll back: return open slots to their source', verify: 'every node agrees (after roll back)' },
};

const VERIFY_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ReshardRun {
  moves: PlannedMove[];
  options?: ReshardOptions;
  keysTotal?: number;
  meanKeyBytes?: number;
  bigKeys?: Array<{ slot: number; key: string; bytes: number }>;
  /** Time already spent before the job (its pre-flight). */
  priorMs?: number;
  /** The job's kind (audit action `cluster.<kind>…`); reshard by default. */
  kind?: SlotMovingKind;
  /** No node in two source→target pairs at once (rebalance, drain). */
  exclusiveNodes?: boolean;
}

/**
 * Every answering master's own view has each slot with the owner it should have and no migrating/importing marker
 * on them; gossip takes a moment, so this polls for a few seconds. The disagreement left, if any.
 */
export async function verifyOwners(
  conns: MigrationConnections,
  masterIds: string[],
  owners: Map<number, string>,
): Promise<string> {
  const deadline = Date.now() + VERIFY_MS;
  let problem = '';
  while (Date.now() < deadline) {
    problem = '';
    for (const id of masterIds) {
      const reply = await conns.call(id, 'control', ['CLUSTER', 'NODES']).catch(() => undefined);
      if (reply === undefined) continue;
      const lines = parseClusterNodes(text(reply));
      const own = lines.find((l) => l.myself);
      const open = [...(own?.migrating ?? []), ...(own?.importing ?? [])].filter((m) => owners.has(m.slot));
      if (open.length) {
        problem = `${conns.node(id).connectAddr} still has slot ${open[0]?.slot} open`;
        break;
      }
      for (const [slot, owner] of owners) {
        const line = lines.find((l) => l.id === owner);
        if (!line || !rangeContains(line.slots, slot)) {
          problem = `${conns.node(id).connectAddr} does not see slot ${slot} on ${conns.node(owner).connectAddr} yet`;
          break;
        }
      }
      if (problem) break;
    }
    if (!problem) return '';
    await sleep(200);
  }
  return problem;
}

/**
 * A reshard job's run, for a start, a resume or a roll back: the engine on the job's own connections, its live
 * figures into job.migration, the open slots into job.openSlots when it stops short, the nodes' agreement checked
 * after, the rate kept for the next ETA, and one audit line with the result.
 */
export async function runReshard(
  poller: ClusterPoller,
  handle: JobHandle<ReshardResult>,
  mode: ReshardMode,
  run: ReshardRun,
  principal: Principal | undefined,
): Promise<ReshardResult> {
  const started = Date.now();
  const job = handle.job;
  const steps = RESHARD_STEPS[mode];
  // A resume or roll back reads the cluster now: a failover since the plan changes who stands for each shard.
  const snapshot = mode === 'start' ? poller.latest : await poller.fresh();
  if (!snapshot) throw new Error('no snapshot of this cluster');
  const mapped = mode === 'start' ? undefined : mapToCurrentMasters(run.moves, snapshot.nodes);
  if (mapped?.problems.length)
    throw new Error(`cannot ${mode === 'resume' ? 'resume' : 'roll back'} now: ${mapped.problems.join('; ')}`);
  const moves = mapped?.moves ?? run.moves;
  const addrOf = (id: string) => snapshot.nodes.find((n) => n.id === id)?.addr ?? id;
  const replacedNotes = [...(mapped?.replaced ?? [])].map(
    ([from, to]) =>
      `${addrOf(from)} no longer stands for its shard (a failover since the plan): its slots were moved with ${addrOf(to)}, the shard's master now`,
  );
  const nodes = migrationNodes(snapshot);
  // Masters told of each new owner at once; one that is down or unreachable learns it by gossip when it is back.
  const masterIds = snapshot.nodes
    .filter((n) => n.role === 'master' && n.addr && n.reachable && !n.flags.includes('fail'))
    .map((n) => n.id);
  const journal = migrationJournal();
  const who = principalLabel(principal);
  const kind = run.kind ?? 'reshard';
  const action = mode === 'start' ? `cluster.${kind}.result` : `cluster.${kind}.${mode}.result`;
  const engine = new SlotMigrator({
    jobId: job.id,
    cluster: poller.cluster,
    nodes,
    masterIds,
    journal,
    signal: handle.signal,
    settings: {
      replace: run.options?.replace === true,
      exclusiveNodes: run.exclusiveNodes === true,
      ...(run.options?.throttleKeysPerSec ? { throttleKeysPerSec: run.options.throttleKeysPerSec } : {}),
      ...(run.options?.maxSourceLatencyMs ? { maxSourceLatencyMs: run.options.maxSourceLatencyMs } : {}),
    },
    ...(run.keysTotal !== undefined ? { keysTotal: run.keysTotal } : {}),
    ...(run.meanKeyBytes !== undefined ? { meanKeyBytes: run.meanKeyBytes } : {}),
    ...(run.bigKeys ? { bigKeys: run.bigKeys } : {}),
    onProgress: (progress) => {
      job.migration = progress;
      handle.progress(progress.slotsDone, progress.slotsTotal, 'slots');
    },
  });
  const conns = new MigrationConnections(poller.cluster, nodes);
  const auditResult = (result: 'ok' | 'failed', extra: Record<string, unknown>, reason?: string) =>
    audit({
      ...who,
      action,
      result,
      status: result === 'ok' ? 200 : 500,
      cluster: poller.cluster.id,
      targets: [...new Set(moves.map((m) => m.targetId))],
      params: { jobId: job.id, slots: moves.length, ...extra },
      ...(reason ? { reason } : {}),
      durationMs: Date.now() - started,
    });
  try {
    if (mode === 'start') engine.recordPlan(moves);
    handle.step(
      steps.move,
      'running',
      `${moves.length} slot(s)${replacedNotes.length ? `; ${replacedNotes.join('; ')}` : ''}`,
    );
    let result: EngineResult;
    try {
      result = mode === 'rollback' ? await engine.rollback(moves) : await engine.migrate(moves);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      handle.step(steps.move, 'failed', message);
      job.openSlots = await openSlotsOf(conns, journal.entries(job.id)).catch(() => job.openSlots ?? []);
      await auditResult('failed', err instanceof MigrationError && err.key ? { key: err.key } : {}, message);
      throw err instanceof Error ? err : new Error(message);
    }
    const what =
      mode === 'rollback'
        ? `${result.slotsReturned} slot(s) returned to their source`
        : `${result.slotsMoved} slot(s), ${result.keysMoved} key(s) at ${result.keysPerSec} keys/s`;
    handle.step(steps.move, 'done', result.cancelled ? `cancelled after ${what}` : what);
    job.openSlots = await openSlotsOf(conns, journal.entries(job.id)).catch(() => []);
    const done = new Map<number, string>();
    for (const entry of journal.entries(job.id)) {
      if (entry.phase === 'done') done.set(entry.slot, entry.targetId);
      if (entry.phase === 'rolled_back') done.set(entry.slot, entry.sourceId);
    }
    handle.step(steps.verify, 'running');
    const problem = await verifyOwners(conns, masterIds, done);
    handle.step(steps.verify, problem ? 'failed' : 'done', problem || `${done.size} slot(s) checked on every master`);
    recordRate(poller.cluster.id, result.keysMoved, result.keysPerSec);
    const reshardResult: ReshardResult = {
      slotsMoved: result.slotsMoved,
      keysMoved: result.keysMoved,
      ms: Date.now() - started + (run.priorMs ?? 0),
      bytesMoved: result.bytesMoved,
      keysPerSec: result.keysPerSec,
      ...(mode === 'rollback' ? { slotsReturned: result.slotsReturned } : {}),
      notes: [...replacedNotes, ...result.notes, ...(problem ? [`after the move: ${problem}`] : [])],
    };
    await auditResult('ok', { ...reshardResult, cancelled: result.cancelled });
    return reshardResult;
  } finally {
    conns.close();
  }
}

/**
 * Fills job.openSlots from the job's journal and the nodes' own views: for a reshard found interrupted at start-up
 * (the store marks it so), before anyone resumes or rolls it back.
 */
export async function refreshOpenSlots(poller: ClusterPoller, job: Job): Promise<OpenSlot[]> {
  const snapshot = poller.latest;
  if (!snapshot) return job.openSlots ?? [];
  const conns = new MigrationConnections(poller.cluster, migrationNodes(snapshot));
  try {
    job.openSlots = await openSlotsOf(conns, migrationJournal().entries(job.id));
    return job.openSlots;
  } finally {
    conns.close();
  }
}
