import 'server-only';
import { type JournalEntry, latestBySlot, type MigrationJournal } from '@/lib/jobs/journal';
import type { MigrationProgress, SlotPhase } from '@/lib/jobs/types';
import type { ResolvedCluster } from '../config/load';
import { BatchQueue } from './batches';
import { EngineHalted, MigrationConnections, type MigrationNode } from './connections';
import { isReplyError, MigrationError, replyText, showKey } from './errors';
import { batchCount, type KeyMoveContext, type KeyMoveSettings, moveKeys, readDumps, refusal } from './moveKeys';
import { DEFAULT_MAX_PAUSE_MS, Pace } from './pace';
import { MigrationStats } from './progress';
import { isOpen, type OwnViews, readOwnLines, type SlotSituation, situationOf } from './slotState';

type Outcome = 'moved' | 'returned' | 'none' | 'later' | { error: unknown };
/** A pass over one batch: an outcome per move, in order. */
type Pass = (batch: PlannedMove[], views: OwnViews) => Promise<Outcome[]>;
/** A slot move from `phase` on; `of` is the plan's move it serves (the reverse one while rolling back). */
interface Step {
  move: PlannedMove;
  phase: SlotPhase;
  of?: PlannedMove;
}

/** One slot of a plan: from its source to its target (always the plan's direction, also while rolling back). */
export interface PlannedMove {
  slot: number;
  sourceId: string;
  targetId: string;
}

export interface EngineSettings extends KeyMoveSettings {
  /** Slots in flight at once. */
  window: number;
  /** Slots that go through the steps together (their commands to a node leave in one write). */
  batchSlots: number;
  /** MIGRATE … REPLACE when a key exists with another value on the target (never while moving a slot back). */
  replace: boolean;
  throttleKeysPerSec?: number;
  /** Hold MIGRATEs from a source while its PING round trip exceeds this. */
  maxSourceLatencyMs?: number;
  /** The longest such a hold lasts: then the slot fails (no reply), left as it is for resume or roll back. */
  maxPauseMs: number;
  /** No node in two source→target pairs at once (rebalance): pairs with disjoint nodes run side by side. */
  exclusiveNodes: boolean;
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  // Measured with scripts/bench (2 cores): 128/32 moved ~20% more keys/s than 64/16 at a lower CPU cost here;
  // a second MIGRATE in flight per source added ~10% and cost the writers' p99.
  window: 128,
  batchSlots: 32,
  bigKeyBytes: 8 * 1024 * 1024,
  batchBytes: 256 * 1024,
  maxBatchKeys: 1000,
  migratesInFlight: 1,
  replace: false,
  maxPauseMs: DEFAULT_MAX_PAUSE_MS,
  exclusiveNodes: false,
};

export interface EngineInput {
  jobId: string;
  cluster: ResolvedCluster;
  /** Every member with an address (the engine connects to the masters it needs). */
  nodes: MigrationNode[];
  /** Every master: each learns the new owner of each slot. */
  masterIds: string[];
  journal: MigrationJournal;
  /** Cancel: the slots in flight are finished (never left open), no new one starts. */
  signal?: AbortSignal;
  settings?: Partial<EngineSettings>;
  /** COUNTKEYSINSLOT over the plan when it was made (for the ETA). */
  keysTotal?: number;
  /** Mean bytes per key from the preview: the first GETKEYSINSLOT's count. */
  meanKeyBytes?: number;
  /** Keys the preview found at least `bigKeyBytes` big: each moves alone, with a timeout scaled to its size. */
  bigKeys?: Array<{ slot: number; key: string; bytes: number }>;
  onProgress?: (progress: MigrationProgress) => void;
}

export interface EngineResult {
  slotsMoved: number;
  /** Slots returned to their source (roll back). */
  slotsReturned: number;
  keysMoved: number;
  bytesMoved: number;
  ms: number;
  /** Mean over the run. */
  keysPerSec: number;
  cancelled: boolean;
  /** Things worth telling that did not stop the job. */
  notes: string[];
}

const PROGRESS_EVERY_MS = 250;
/** "I still hold keys" from the source at SETSLOT NODE: the keys are moved again, this often. */
const MAX_RELEASE_ATTEMPTS = 3;

/** A reply that means the source already turned itself into a replica after giving away its last slot (redis#9223). */
// Not a master (any more): Redis refuses SETSLOT on a replica; Valkey's SETSLOT, which waits for the replicas, is
// cut short with UNBLOCKED when the node turns replica meanwhile (a master that gave its last slot away).
const ONLY_MASTERS = /Please use SETSLOT only with masters|UNBLOCKED.*master -> replica/i;
const STILL_HOLDS_KEYS = /still hold keys/i;

/**
 * The slot-migration engine: every slot move of every job (reshard now; rebalance, fix, remove-node next) runs here.
 * For each slot, in the order Redis requires: SETSLOT IMPORTING on the target, MIGRATING on the source, keys moved in
 * MIGRATE batches, SETSLOT NODE on the target, then the source, then every other master. `window` slots are in
 * flight at once over one pipelined connection per node and purpose. Each phase reached is journalled before the
 * next step is sent. Where a slot stands is always read from the nodes themselves first, so the same code starts,
 * resumes (after a crash, from any phase) and rolls back.
 */
export class SlotMigrator {
  private readonly conns: MigrationConnections;
  private readonly settings: EngineSettings;
  private readonly notes = new Set<string>();
  private stats = new MigrationStats(0);
  private keyCtx: KeyMoveContext | undefined;
  private pace: Pace | undefined;

  private readonly bigKeys = new Map<number, Array<{ key: Buffer; bytes: number }>>();

  constructor(private readonly input: EngineInput) {
    // Whatever the journal holds is committed before any command leaves: an entry written before a step is on disk
    // before the step runs, and the entries of a whole window of slots share one commit.
    this.conns = new MigrationConnections(input.cluster, input.nodes, () => input.journal.flush?.(true));
    this.settings = { ...DEFAULT_ENGINE_SETTINGS, ...input.settings };
    for (const big of input.bigKeys ?? []) {
      if (big.bytes < this.settings.bigKeyBytes) continue;
      const list = this.bigKeys.get(big.slot) ?? [];
      if (list.some((k) => k.key.toString() === big.key)) continue;
      list.push({ key: Buffer.from(big.key), bytes: big.bytes });
      this.bigKeys.set(big.slot, list);
    }
  }

  /** Drops every connection at once and sends nothing more, journal included: a crash, as tests simulate it. */
  halt(): void {
    this.conns.halt();
  }

  /** The live figures (also pushed through onProgress). */
  progress(): MigrationProgress {
    return this.stats.snapshot();
  }

  /** Journals every move as planned (a fresh run: the whole plan is on record before anything changes). */
  recordPlan(moves: readonly PlannedMove[]): void {
    for (const move of moves) this.record(move, 'planned');
  }

  /**
   * Moves every slot to its target, starting each from where the nodes say it stands (a fresh slot, an open one, one
   * already owned by the target). Throws the first slot's error once the other slots in flight are finished.
   */
  async migrate(moves: readonly PlannedMove[]): Promise<EngineResult> {
    const start = new Map<number, SlotPhase>();
    return this.run(moves, [
      // First the slots an interrupted roll back was returning (target -> source): finished that way.
      async (batch, views) => {
        const back: Step[] = [];
        for (const move of batch) {
          const s = this.situation(move, views);
          if (s.owner === 'target' && s.targetMigrating) {
            back.push({ move: reverse(move), phase: s.sourceImporting ? 'migrating' : 'planned', of: move });
            start.set(move.slot, 'planned');
          } else start.set(move.slot, startPhase(s));
        }
        const errors = await this.forwardMany(back, { journal: false, last: false });
        return batch.map((move) => errors.get(move.slot) ?? 'later');
      },
      async (batch) => {
        const errors = await this.forwardMany(
          batch.map((move) => ({ move, phase: start.get(move.slot) ?? 'planned' })),
          { journal: true, last: true },
        );
        return batch.map((move) => errors.get(move.slot) ?? 'moved');
      },
    ]);
  }

  /**
   * Returns each slot the job left between source and target (open, owned by the target while the source still
   * claims it, or not yet done) to its source, with its keys. Keys cannot flow back into a migrating source (it
   * answers ASK to its own RESTORE), so such a slot is first finished towards the target, then moved back as any slot
   * is moved: no key is ever out of the clients' reach. A slot only marked importing (the source never redirected
   * anyone) is simply closed. Slots never started, and done ones, are left alone.
   */
  async rollback(moves: readonly PlannedMove[]): Promise<EngineResult> {
    const entries = this.input.journal.entries(this.input.jobId);
    const latest = latestBySlot(entries);
    // The furthest a slot got by the journal ('failed' and 'sending' say nothing of how far: the entry before does).
    const reached = new Map<number, SlotPhase>();
    for (const e of entries) if (e.phase !== 'failed' && e.phase !== 'sending') reached.set(e.slot, e.phase);
    const back = new Map<number, SlotPhase>();
    return this.run(moves, [
      async (batch, views) => {
        const outcome = new Map<number, Outcome>();
        const finish: Step[] = [];
        const close: PlannedMove[] = [];
        // Owned by the source, yet keys may have reached the target (moved, or written there through ASK).
        const check: Array<{ move: PlannedMove; s: SlotSituation; open: boolean }> = [];
        for (const move of batch) {
          const s = this.situation(move, views);
          const mayHoldKeys = s.targetImporting || KEYS_MAY_HAVE_MOVED.has(reached.get(move.slot) ?? 'planned');
          if (!isOpen(s) && s.owner === 'source' && !views.replicaOnly.has(move.slot)) {
            if (mayHoldKeys) check.push({ move, s, open: false });
            else outcome.set(move.slot, 'none');
          } else if (!isOpen(s) && s.owner === 'target' && latest.get(move.slot)?.phase === 'done')
            outcome.set(move.slot, 'none');
          else if (s.owner === 'source' && !s.sourceMigrating) {
            if (mayHoldKeys) check.push({ move, s, open: true });
            else close.push(move);
          } else if (s.targetMigrating) back.set(move.slot, s.sourceImporting ? 'migrating' : 'planned');
          else {
            finish.push({ move, phase: startPhase(s) });
            back.set(move.slot, 'planned');
          }
        }
        const bringBack: Array<{ move: PlannedMove; s: SlotSituation }> = [];
        await Promise.all(
          check.map(async ({ move, s, open }) => {
            try {
              const held = await this.conns.call(move.targetId, 'control', ['CLUSTER', 'COUNTKEYSINSLOT', move.slot]);
              if (Number(held) > 0) bringBack.push({ move, s });
              else if (open) close.push(move);
              else outcome.set(move.slot, 'none');
            } catch (err) {
              const error = refusal(this.conns, move.targetId, `CLUSTER COUNTKEYSINSLOT ${move.slot}`, err, move.slot);
              this.failed(move, error);
              outcome.set(move.slot, { error });
            }
          }),
        );
        await Promise.all(
          bringBack.map(async ({ move, s }) => {
            try {
              await this.guarded(move, true, () => this.bringBack(move, s));
              outcome.set(move.slot, 'returned');
            } catch (err) {
              outcome.set(move.slot, { error: err });
            }
          }),
        );
        await Promise.all(
          close.map(async (move) => {
            try {
              await this.guarded(move, true, async () => {
                // STABLE on both: on Valkey it also reaches replicas that got a SETSLOT their master never applied.
                this.intent(move, move.targetId, `CLUSTER SETSLOT ${move.slot} STABLE (then on the source)`);
                await this.setslot(move.targetId, move.slot, 'STABLE');
                await this.setslot(move.sourceId, move.slot, 'STABLE');
                await this.tellOthers(move.slot, move.sourceId, [move.sourceId]);
                this.record(move, 'rolled_back');
              });
              outcome.set(move.slot, 'returned');
            } catch (err) {
              outcome.set(move.slot, { error: err });
            }
          }),
        );
        const errors = await this.forwardMany(finish, { journal: false, last: false });
        return batch.map((move) => errors.get(move.slot) ?? outcome.get(move.slot) ?? 'later');
      },
      async (batch) => {
        const errors = await this.forwardMany(
          batch.map((move) => ({ move: reverse(move), phase: back.get(move.slot) ?? 'planned', of: move })),
          { journal: false, last: true },
        );
        return batch.map((move) => {
          const error = errors.get(move.slot);
          if (error) return error;
          this.record(move, 'rolled_back');
          return 'returned';
        });
      },
    ]);
  }

  /**
   * Runs `passes` over the moves in batches of `batchSlots`, `window` slots in flight at once; a slot a pass answers
   * 'later' for goes to the next pass. A batch's slots go through each step together, so their commands to a node
   * leave in one write. Passes keep each node on one side at a time: a node that takes slots (bumping its config
   * epoch) while it still claims slots it is giving away could win those back through gossip, undoing a move.
   */
  private async run(moves: readonly PlannedMove[], passes: Pass[]): Promise<EngineResult> {
    this.stats = new MigrationStats(moves.length, this.input.keysTotal);
    const stats = this.stats;
    this.pace = new Pace(
      this.conns,
      stats,
      this.settings.throttleKeysPerSec,
      this.settings.maxSourceLatencyMs,
      () => this.input.onProgress?.(stats.snapshot()),
      this.settings.maxPauseMs,
      this.input.signal,
    );
    this.keyCtx = {
      conns: this.conns,
      bigKeys: this.bigKeys,
      stats,
      pace: this.pace,
      settings: this.settings,
      meanKeyBytes: this.input.meanKeyBytes ?? 512,
      sized: this.input.meanKeyBytes !== undefined,
      migrating: new Map(),
      batches: 0,
      busy: new Set(),
    };
    const started = Date.now();
    const timer = setInterval(() => this.input.onProgress?.(stats.snapshot()), PROGRESS_EVERY_MS);
    const batchSlots = Math.max(1, Math.min(this.settings.batchSlots, this.settings.window));
    const batchesInFlight = Math.max(1, Math.round(this.settings.window / batchSlots));
    let failure: unknown;
    let slotsMoved = 0;
    let slotsReturned = 0;
    let cancelled = false;
    try {
      const views = await readOwnLines(
        this.conns,
        moves.flatMap((m) => [m.sourceId, m.targetId]),
      );
      let todo = [...moves];
      for (const pass of passes) {
        const later: PlannedMove[] = [];
        const inFlight = new Set<Promise<void>>();
        const queue = new BatchQueue(todo, batchSlots, this.settings.exclusiveNodes);
        while (!queue.empty) {
          while (inFlight.size >= batchesInFlight && failure === undefined) await Promise.race(inFlight);
          if (this.input.signal?.aborted) cancelled = true;
          if (cancelled || failure !== undefined || this.conns.isHalted) break;
          const batch = queue.take();
          if (!batch) {
            // Every pair left waits for a node another pair holds.
            if (inFlight.size === 0) throw new Error('the engine has slots left that no batch can take');
            await Promise.race(inFlight);
            continue;
          }
          const task = pass(batch, views)
            .then((outcomes) => {
              outcomes.forEach((outcome, k) => {
                if (outcome === 'moved') slotsMoved++;
                else if (outcome === 'returned') slotsReturned++;
                else if (outcome === 'none') stats.skip();
                else if (outcome === 'later') later.push(batch[k] as PlannedMove);
                else failure ??= outcome.error;
              });
            })
            .catch((err: unknown) => {
              failure ??= err;
            })
            .finally(() => {
              inFlight.delete(task);
              queue.done(batch);
            });
          inFlight.add(task);
        }
        await Promise.all(inFlight);
        if (cancelled || failure !== undefined || this.conns.isHalted) break;
        todo = later;
      }
    } catch (err) {
      failure ??= err;
    } finally {
      clearInterval(timer);
      this.pace.stop();
      if (!this.conns.isHalted) this.input.journal.flush?.();
      if (!this.conns.isHalted) this.input.onProgress?.(stats.snapshot());
      this.conns.close();
    }
    if (this.conns.isHalted) throw new EngineHalted();
    if (failure !== undefined) throw failure;
    return {
      slotsMoved,
      slotsReturned,
      keysMoved: stats.keysMoved,
      bytesMoved: stats.bytesMoved,
      ms: Date.now() - started,
      keysPerSec: stats.averageKeysPerSec(),
      cancelled,
      notes: [...this.notes],
    };
  }

  private record(move: PlannedMove, phase: SlotPhase, extra: Pick<JournalEntry, 'keys' | 'detail'> = {}): void {
    if (this.conns.isHalted) throw new EngineHalted();
    const entry = { jobId: this.input.jobId, ...move, phase, ...extra };
    // "Keys moved" need not be on disk before the next command: lost, the slot reads as migrating, and where its keys
    // are is read from the nodes all the same. It rides along with the next commit.
    if (this.input.journal.appendLater) this.input.journal.appendLater(entry, phase === 'keys_moved');
    else this.input.journal.append(entry);
  }

  /**
   * The journal's intent entry, written before a SETSLOT is sent: a crash between the command and the entry of the
   * phase it reaches leaves the slot on record as possibly open, the command named. Written against the plan's move
   * (`of`) also while rolling back.
   */
  private intent(of: PlannedMove, nodeId: string, command: string): void {
    this.record(of, 'sending', { detail: `${command} sent to ${this.addr(nodeId)}` });
  }

  private situation(move: PlannedMove, views: OwnViews): SlotSituation {
    const source = views.lines.get(move.sourceId);
    const target = views.lines.get(move.targetId);
    if (!source || !target) throw new MigrationError('no_reply', `no view of slot ${move.slot}'s nodes`, move.slot);
    return situationOf(move.slot, move.sourceId, move.targetId, source, target);
  }

  /**
   * Runs a slot's steps counted in flight (and, when `last`, done after them); a failure is journalled against the
   * slot (unless halted).
   */
  private async guarded(move: PlannedMove, last: boolean, steps: () => Promise<void>): Promise<void> {
    this.stats.inFlight.add(move.slot);
    try {
      await steps();
      if (last) this.stats.slotDone(move.slot);
      else this.stats.inFlight.delete(move.slot);
    } catch (err) {
      this.stats.inFlight.delete(move.slot);
      this.failed(move, err);
      throw err;
    }
  }

  private failed(move: PlannedMove, err: unknown): void {
    if (!(err instanceof EngineHalted) && !this.conns.isHalted)
      this.record(move, 'failed', { detail: err instanceof Error ? err.message : String(err) });
  }

  /**
   * The forward steps for each slot from its phase on, the slots of the batch in step with each other. A slot that
   * fails drops out (its error returned by slot; journalled against `of`, the plan's move); the others go on.
   * `journal` false: steps of a roll back (journalled once, at the end, and never with "replace").
   */
  private async forwardMany(
    steps: Step[],
    options: { journal: boolean; last: boolean },
  ): Promise<Map<number, { error: unknown }>> {
    const errors = new Map<number, { error: unknown }>();
    const ctx = this.keys();
    const replace = options.journal && this.settings.replace;
    const items = steps.map((step) => ({ ...step, of: step.of ?? step.move, keys: undefined as Buffer[] | undefined }));
    for (const item of items) this.stats.inFlight.add(item.move.slot);
    const record = (item: (typeof items)[number], phase: SlotPhase, extra?: Pick<JournalEntry, 'keys' | 'detail'>) => {
      item.phase = phase;
      if (options.journal) this.record(item.move, phase, extra);
      else if (this.conns.isHalted) throw new EngineHalted();
    };
    const stage = async (at: (phase: SlotPhase) => boolean, step: (item: (typeof items)[number]) => Promise<void>) => {
      await Promise.all(
        items
          .filter((item) => !errors.has(item.move.slot) && at(item.phase))
          .map(async (item) => {
            try {
              await step(item);
            } catch (err) {
              errors.set(item.move.slot, { error: err });
              this.stats.inFlight.delete(item.move.slot);
              this.failed(item.of, err);
            }
          }),
      );
    };
    await stage(
      (p) => p === 'planned',
      async (item) => {
        this.intent(item.of, item.move.targetId, `CLUSTER SETSLOT ${item.move.slot} IMPORTING ${item.move.sourceId}`);
        await this.openOnTarget(item.move, replace);
        record(item, 'importing');
      },
    );
    await stage(
      (p) => p === 'importing',
      async (item) => {
        const { slot, sourceId, targetId } = item.move;
        this.intent(item.of, sourceId, `CLUSTER SETSLOT ${slot} MIGRATING ${targetId}`);
        // GETKEYSINSLOT in the same round trip: it runs after MIGRATING on the same connection.
        const [migrating, keys] = await this.conns.pipeline(sourceId, 'control', [
          ['CLUSTER', 'SETSLOT', slot, 'MIGRATING', targetId],
          ['CLUSTER', 'GETKEYSINSLOT', slot, batchCount(ctx)],
        ]);
        if (migrating?.error)
          throw refusal(this.conns, sourceId, `CLUSTER SETSLOT ${slot} MIGRATING ${targetId}`, migrating.error, slot);
        if (!keys?.error && Array.isArray(keys?.value)) item.keys = keys.value as Buffer[];
        record(item, 'migrating');
      },
    );
    await stage(
      (p) => p === 'migrating' || p === 'keys_moved',
      async (item) => {
        const { slot, sourceId, targetId } = item.move;
        const moved = await moveKeys(ctx, slot, sourceId, targetId, replace, item.keys);
        record(item, 'keys_moved', { keys: moved.keys });
      },
    );
    await stage(
      (p) => p === 'keys_moved',
      async (item) => {
        // The target first: if it crashed after the source had let go, the slot would have no owner (redis#7116).
        this.intent(item.of, item.move.targetId, `CLUSTER SETSLOT ${item.move.slot} NODE ${item.move.targetId}`);
        await this.setslot(item.move.targetId, item.move.slot, 'NODE', item.move.targetId);
        record(item, 'target_owns');
      },
    );
    await stage(
      () => true,
      async (item) => {
        const { slot, sourceId, targetId } = item.move;
        // The source and the other masters together: only the target had to come first.
        await Promise.all([
          item.phase === 'target_owns'
            ? this.releaseSource(item.move, item.of).then(() => record(item, 'source_released'))
            : undefined,
          this.tellOthers(slot, targetId, [sourceId, targetId]),
        ]);
        record(item, 'done');
        if (options.last) this.stats.slotDone(slot);
        else this.stats.inFlight.delete(slot);
      },
    );
    return errors;
  }

  /**
   * SETSLOT IMPORTING on the target, and in the same round trip the keys it already holds in the slot (left over from
   * an earlier attempt, or written around the cluster), checked before any key moves. The same value is fine
   * (MIGRATE replaces it); another value stops here, with the slot closed again, unless "replace"; keys the source
   * lacks become visible once the slot moves, which is said.
   */
  private async openOnTarget(move: PlannedMove, replace: boolean): Promise<void> {
    const { slot, sourceId, targetId } = move;
    let keys: Buffer[];
    try {
      const [importing, counted] = await this.conns.pipeline(targetId, 'control', [
        ['CLUSTER', 'SETSLOT', slot, 'IMPORTING', sourceId],
        ['CLUSTER', 'COUNTKEYSINSLOT', slot],
      ]);
      if (importing?.error) throw importing.error;
      if (counted?.error) throw counted.error;
      const count = Number(counted?.value);
      if (!count) return;
      keys = (await this.conns.call(targetId, 'control', [
        'CLUSTER',
        'GETKEYSINSLOT',
        slot,
        Math.min(count, 10_000),
      ])) as Buffer[];
    } catch (err) {
      // Nothing moved yet: the target is closed again (best effort) before the slot stops.
      await this.setslot(targetId, slot, 'STABLE').catch(() => undefined);
      throw refusal(this.conns, targetId, `CLUSTER SETSLOT ${slot} IMPORTING ${sourceId}`, err, slot);
    }
    const ctx = this.keys();
    let theirs: Array<Buffer | null>;
    let ours: Array<Buffer | null>;
    try {
      theirs = await readDumps(ctx, slot, targetId, keys, true);
      ours = await readDumps(ctx, slot, sourceId, keys, false);
    } catch (err) {
      // Nothing moved yet: the slot is closed again before the slot stops.
      await this.setslot(targetId, slot, 'STABLE');
      throw err;
    }
    let orphans = 0;
    for (const [i, key] of keys.entries()) {
      const a = ours[i];
      const b = theirs[i];
      if (!a) {
        orphans++;
        continue;
      }
      if (!b || a.equals(b) || replace) continue;
      await this.setslot(targetId, slot, 'STABLE');
      throw new MigrationError(
        'busykey',
        `key "${showKey(key)}" in slot ${slot} exists on the target ${this.addr(targetId)} with a different value than on the source ${this.addr(sourceId)}: nothing was moved or overwritten in this slot. Compare the two values and delete the wrong one, or start again with "replace" to overwrite the target's copy.`,
        slot,
        showKey(key),
      );
    }
    if (orphans)
      this.notes.add(
        `slot ${slot}: the target held ${orphans} key(s) the source did not have; they are visible now that it owns the slot`,
      );
  }

  /**
   * A slot the source owns, stable there, while the target holds keys of it (redis-cli --cluster fix, case 2): the
   * source cannot be marked importing (it owns the slot) nor the target migrating (it does not), so the keys go back
   * as redis-cli moves them, MIGRATE from the target with the target importing (MIGRATE runs on a node with the slot
   * open), into the owner; then STABLE on both and every master told.
   */
  private async bringBack(move: PlannedMove, s: SlotSituation): Promise<void> {
    const { slot, sourceId, targetId } = move;
    if (!s.targetImporting) {
      this.intent(move, targetId, `CLUSTER SETSLOT ${slot} IMPORTING ${sourceId} (to move its keys back)`);
      await this.setslot(targetId, slot, 'IMPORTING', sourceId);
    }
    const moved = await moveKeys(this.keys(), slot, targetId, sourceId, false);
    this.intent(move, targetId, `CLUSTER SETSLOT ${slot} STABLE (then on the source)`);
    await this.setslot(targetId, slot, 'STABLE');
    await this.setslot(sourceId, slot, 'STABLE');
    await this.tellOthers(slot, sourceId, [sourceId]);
    const detail = `${moved.keys} key(s) the target ${this.addr(targetId)} held in slot ${slot}, out of the clients' reach (the source ${this.addr(sourceId)} owned the slot with no migrating mark), moved back to the source`;
    this.notes.add(`slot ${slot}: ${detail}`);
    this.record(move, 'rolled_back', { keys: moved.keys, detail });
  }

  /** SETSLOT NODE <target> on the source; "only with masters" means it already gave its last slot away and became a replica. */
  private async releaseSource(move: PlannedMove, of: PlannedMove): Promise<void> {
    const { slot, sourceId, targetId } = move;
    for (let attempt = 1; ; attempt++) {
      try {
        this.intent(of, sourceId, `CLUSTER SETSLOT ${slot} NODE ${targetId}`);
        await this.conns.call(sourceId, 'control', ['CLUSTER', 'SETSLOT', slot, 'NODE', targetId]);
        return;
      } catch (err) {
        if (isReplyError(err) && ONLY_MASTERS.test(replyText(err))) return;
        if (isReplyError(err) && STILL_HOLDS_KEYS.test(replyText(err)) && attempt < MAX_RELEASE_ATTEMPTS) {
          await moveKeys(this.keys(), slot, sourceId, targetId, false);
          continue;
        }
        throw refusal(this.conns, sourceId, `CLUSTER SETSLOT ${slot} NODE ${targetId}`, err, slot);
      }
    }
  }

  /** Every other master learns the new owner at once rather than by gossip; one that does not answer is noted. */
  private async tellOthers(slot: number, ownerId: string, except: string[]): Promise<void> {
    const others = this.input.masterIds.filter((id) => !except.includes(id));
    await Promise.all(
      others.map(async (id) => {
        try {
          await this.conns.call(id, 'control', ['CLUSTER', 'SETSLOT', slot, 'NODE', ownerId]);
        } catch (err) {
          if (err instanceof EngineHalted || this.conns.isHalted) throw new EngineHalted();
          // A master that gave its last slot away turned replica (Redis's replica migration): nothing to tell it.
          if (isReplyError(err) && ONLY_MASTERS.test(replyText(err))) return;
          this.notes.add(
            `${this.addr(id)} was not told of the new owner of some slots (${this.conns.describe(err)}); it learns it by gossip`,
          );
        }
      }),
    );
  }

  private async setslot(nodeId: string, slot: number, ...args: string[]): Promise<void> {
    try {
      await this.conns.call(nodeId, 'control', ['CLUSTER', 'SETSLOT', slot, ...args]);
    } catch (err) {
      throw refusal(this.conns, nodeId, `CLUSTER SETSLOT ${slot} ${args.join(' ')}`, err, slot);
    }
  }

  private keys(): KeyMoveContext {
    if (!this.keyCtx) throw new Error('the engine is not running');
    return this.keyCtx;
  }

  private addr(id: string): string {
    return this.conns.node(id).connectAddr;
  }
}

/** Journal phases after which keys of the slot may be on the target. */
const KEYS_MAY_HAVE_MOVED = new Set<SlotPhase>(['migrating', 'keys_moved', 'target_owns', 'source_released', 'done']);

const reverse = (move: PlannedMove): PlannedMove => ({
  slot: move.slot,
  sourceId: move.targetId,
  targetId: move.sourceId,
});

/** The forward phase a slot is at, as its nodes show it. */
function startPhase(s: SlotSituation): SlotPhase {
  if (s.owner === 'target') return s.sourceClaims || s.sourceMigrating ? 'target_owns' : 'source_released';
  if (s.targetImporting && s.sourceMigrating) return 'migrating';
  if (s.targetImporting) return 'importing';
  return 'planned';
}
