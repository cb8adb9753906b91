import 'server-only';
import type { MigrationJournal } from '@/lib/jobs/journal';
import type { MigrationProgress, SlotPhase } from '@/lib/jobs/types';
import { type FixAction, type FixOp, planFix } from '@/lib/plan/fix';
import { parseClusterNodes } from '@/lib/redis/clusterNodes';
import { rangeContains } from '@/lib/redis/slots';
import type { ResolvedCluster } from '../config/load';
import { readFixInput } from '../ops/fixInput';
import { EngineHalted, MigrationConnections, type MigrationNode, text } from './connections';
import { DEFAULT_ENGINE_SETTINGS } from './engine';
import { isReplyError, MigrationError, replyText } from './errors';
import { type KeyMoveContext, moveKeys, refusal } from './moveKeys';
import { Pace } from './pace';
import { MigrationStats } from './progress';

export interface RepairInput {
  jobId: string;
  cluster: ResolvedCluster;
  /** Every member with an address, the node the plan was read from first (readFixInput's order). */
  nodes: MigrationNode[];
  /** The plan's actions, in its order. */
  actions: FixAction[];
  /** As the plan was made (redis-cli's --cluster-fix-with-unreachable-masters). */
  withUnreachableMasters?: boolean;
  journal: MigrationJournal;
  /** Cancel: the slot in hand is finished, no other starts. */
  signal?: AbortSignal;
  onProgress?: (progress: MigrationProgress) => void;
}

export interface RepairResult {
  /** Actions carried out. */
  slotsFixed: number;
  /** Actions not needed any more: the slot was already fine when its turn came. */
  skipped: Array<{ slot: number; why: string }>;
  keysMoved: number;
  ms: number;
  cancelled: boolean;
  /** The owner each slot acted on ended with. */
  owners: Map<number, string>;
  notes: string[];
}

/** SETSLOT NODE on a master that gave away its last slot and already turned into a replica (redis#9223). */
// Not a master (any more): Redis refuses SETSLOT on a replica; Valkey's SETSLOT, which waits for the replicas, is
// cut short with UNBLOCKED when the node turns replica meanwhile (a master that gave its last slot away).
const ONLY_MASTERS = /Please use SETSLOT only with masters|UNBLOCKED.*master -> replica/i;
const STILL_HOLDS_KEYS = /still hold keys/i;
const MAX_RELEASE_ATTEMPTS = 3;
const PROGRESS_EVERY_MS = 250;

/**
 * Runs a fix plan (lib/plan/fix.ts) on the live cluster, action by action, each as redis-cli's `--cluster fix` runs it
 * (the action's `ops`, one per command of its `steps`). Before each action the slot is read again from the nodes and
 * planned again: an action whose slot is fine by now is skipped and said so; one whose slot no longer needs what the
 * plan said (another case, another owner) stops the fix there. Each command is journalled before it is sent, and the
 * slot's end after, so an interrupted fix is on record.
 */
export async function repairSlots(input: RepairInput): Promise<RepairResult> {
  const started = Date.now();
  const conns = new MigrationConnections(input.cluster, input.nodes, () => input.journal.flush?.(true));
  const stats = new MigrationStats(input.actions.length);
  const report = () => input.onProgress?.(stats.snapshot());
  const pace = new Pace(conns, stats, undefined, undefined, report, DEFAULT_ENGINE_SETTINGS.maxPauseMs, input.signal);
  const ctx: KeyMoveContext = {
    conns,
    bigKeys: new Map(),
    stats,
    pace,
    settings: DEFAULT_ENGINE_SETTINGS,
    meanKeyBytes: 512,
    sized: false,
    migrating: new Map(),
    batches: 0,
    busy: new Set(),
  };
  const repair = new Repair(input, conns, ctx);
  const timer = setInterval(report, PROGRESS_EVERY_MS);
  const skipped: RepairResult['skipped'] = [];
  const owners = new Map<number, string>();
  let slotsFixed = 0;
  let cancelled = false;
  try {
    for (const action of input.actions)
      repair.record(action, 'planned', { detail: `${action.case}: ${action.steps.join('; ')}` });
    // While any slot is uncovered no key can move (CLUSTERDOWN): every uncovered slot gets its owner first (checked
    // against the nodes as any step is), then its keys move in its turn.
    const covered = new Map<FixAction, { run: FixAction } | { skipped: string }>();
    for (const action of coverFirst(input.actions)) {
      if (input.signal?.aborted) break;
      covered.set(action, await repair.cover(action));
    }
    if (
      [...covered.values()].some((c) => 'run' in c) &&
      input.actions.some((a) => a.ops.some((op) => op.op === 'move'))
    )
      await repair.clusterOk();
    // The covered slots' keys move first (the cluster serves those slots again, the keys on other holders are out of
    // reach until they move), then the open slots in the plan's order.
    const order = [...input.actions.filter((a) => covered.has(a)), ...input.actions.filter((a) => !covered.has(a))];
    for (const action of order) {
      // A covered slot is finished even after a cancel: its other holders' keys would stay out of reach.
      if (input.signal?.aborted && !covered.has(action)) {
        cancelled = true;
        break;
      }
      stats.inFlight.add(action.slot);
      try {
        const early = covered.get(action);
        const outcome = !early ? await repair.run(action) : 'run' in early ? await repair.finish(early.run) : early;
        if ('skipped' in outcome) skipped.push({ slot: action.slot, why: outcome.skipped });
        else {
          slotsFixed++;
          owners.set(action.slot, outcome.owner);
        }
        stats.slotDone(action.slot);
      } catch (err) {
        stats.inFlight.delete(action.slot);
        if (!(err instanceof EngineHalted) && !conns.isHalted)
          repair.record(action, 'failed', { detail: err instanceof Error ? err.message : String(err) });
        throw err;
      }
      report();
    }
  } finally {
    clearInterval(timer);
    pace.stop();
    if (!conns.isHalted) input.journal.flush?.();
    report();
    conns.close();
  }
  return {
    slotsFixed,
    skipped,
    keysMoved: stats.keysMoved,
    ms: Date.now() - started,
    cancelled,
    owners,
    notes: [...repair.notes],
  };
}

/**
 * While a slot is uncovered a cluster with full coverage required answers CLUSTERDOWN to every keyed command, MIGRATE
 * included, so no key could move. The uncovered slots (acted on once) get their owner first; their keys, if other
 * nodes hold some, move in their turn. No owner changes by it: an uncovered slot's owner is the node with the most
 * keys in it, which the open slots' fixes do not change.
 */
function coverFirst(actions: readonly FixAction[]): FixAction[] {
  const slotsActedOnTwice = new Set(
    actions.filter((a, i) => actions.findIndex((b) => b.slot === a.slot) !== i).map((a) => a.slot),
  );
  return actions.filter((a) => a.case.startsWith('uncovered_') && !slotsActedOnTwice.has(a.slot));
}

/** The ops that give an uncovered slot its owner: those before its first key move. */
const ownerOps = (action: FixAction) => {
  const at = action.ops.findIndex((op) => op.op === 'move');
  return at < 0 ? action.ops.length : at;
};

const CLUSTER_OK_MS = 10_000;

class Repair {
  readonly notes = new Set<string>();

  constructor(
    private readonly input: RepairInput,
    private readonly conns: MigrationConnections,
    private readonly ctx: KeyMoveContext,
  ) {}

  record(action: FixAction, phase: SlotPhase, extra: { keys?: number; detail?: string } = {}): void {
    if (this.conns.isHalted) throw new EngineHalted();
    this.input.journal.append({
      jobId: this.input.jobId,
      slot: action.slot,
      phase,
      // The journal's shape is a move's: the first node keys leave (else the owner itself) -> the owner.
      sourceId: action.moveKeysFrom[0] ?? action.owner,
      targetId: action.owner,
      ...extra,
    });
  }

  /** Every master this fix talks to reports cluster_state:ok (its slots just covered), within a deadline. */
  async clusterOk(): Promise<void> {
    const deadline = Date.now() + CLUSTER_OK_MS;
    let last = '';
    for (;;) {
      const states = await Promise.all(
        this.input.nodes.map(async (n) => {
          const info = await this.conns.call(n.id, 'control', ['CLUSTER', 'INFO']).catch(() => undefined);
          if (info === undefined) return 'ok';
          const state = /cluster_state:(\w+)/.exec(text(info))?.[1] ?? 'unknown';
          return state === 'ok' ? 'ok' : `${n.connectAddr} cluster_state:${state}`;
        }),
      );
      last = states.filter((s) => s !== 'ok').join(', ');
      if (!last) return;
      if (Date.now() > deadline) {
        throw new MigrationError(
          'conflict',
          `after covering the uncovered slots the cluster is not ok (${last}) within ${CLUSTER_OK_MS / 1000} s: keys cannot move (CLUSTERDOWN); nothing more was sent`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private addr(id: string): string {
    return this.conns.node(id).connectAddr;
  }

  /**
   * The slot's own plan now: every node's view read again, the keys counted in this slot only, planned as the whole
   * plan was. Its first action for the slot is what redis-cli would do to it next.
   */
  private async replan(slot: number): Promise<{ action?: FixAction; why?: string; strays?: string[] }> {
    const live = await readFixInput(this.conns, this.input.nodes, [slot]);
    const plan = planFix({
      ...live,
      ...(this.input.withUnreachableMasters ? { withUnreachableMasters: true } : {}),
    });
    if (plan.refused) return { why: plan.refused };
    const unhandled = plan.unhandled.find((u) => u.slot === slot);
    if (unhandled) return { why: unhandled.why };
    // Masters holding keys of the slot without claiming it in their own view: out of the clients' reach.
    const strays = [...(live.keys.get(slot) ?? [])]
      .filter(
        ([id, n]) => n > 0 && !live.nodes.find((x) => x.id === id)?.own?.slots.some(([a, b]) => slot >= a && slot <= b),
      )
      .map(([id]) => id);
    return { action: plan.actions.find((a) => a.slot === slot), strays };
  }

  async run(planned: FixAction): Promise<{ owner: string } | { skipped: string }> {
    const checked = await this.check(planned);
    if ('skipped' in checked) return checked;
    return this.finish(checked.run, 0);
  }

  /** An uncovered slot's owner, set before anything else runs: the ops before its first key move. */
  async cover(planned: FixAction): Promise<{ run: FixAction } | { skipped: string }> {
    const checked = await this.check(planned);
    if ('skipped' in checked) return checked;
    for (const op of checked.run.ops.slice(0, ownerOps(checked.run))) await this.op(checked.run, op);
    return checked;
  }

  /** The rest of an action's ops (all of them, or those after the owner was set by `cover`). */
  async finish(run: FixAction, from = ownerOps(run)): Promise<{ owner: string }> {
    let keys = 0;
    for (const op of run.ops.slice(from)) keys += await this.op(run, op);
    this.record(run, 'done', { keys, detail: `${run.case}: owned by ${this.addr(run.owner)}` });
    return { owner: run.owner };
  }

  /** The slot read again from the nodes: skipped when already fine, refused when it changed; else the ops to run. */
  private async check(planned: FixAction): Promise<{ run: FixAction } | { skipped: string }> {
    const { slot } = planned;
    const now = await this.replan(slot);
    if (now.why)
      throw new MigrationError(
        'conflict',
        `slot ${slot} changed since the plan and cannot be fixed now: ${now.why}`,
        slot,
      );
    const fresh = now.action;
    if (!fresh && now.strays?.length)
      throw new MigrationError(
        'conflict',
        `slot ${slot} is served and not open, yet ${now.strays.map((id) => this.addr(id)).join(', ')} still hold keys of it without owning it: not a state redis-cli's fix repairs; nothing was sent for it`,
        slot,
      );
    if (!fresh) {
      const why = 'already fine when its turn came (covered, not open): nothing sent';
      this.record(planned, 'done', { detail: why });
      return { skipped: why };
    }
    // An uncovered slot without keys may go to any master (redis-cli picks one at random): the plan's choice stands.
    const sameOwner = fresh.owner === planned.owner || fresh.case === 'uncovered_no_keys';
    if (fresh.case !== planned.case || !sameOwner)
      throw new MigrationError(
        'conflict',
        `slot ${slot} changed since the plan: it was ${planned.case} for ${this.addr(planned.owner)}, it is ${fresh.case} for ${this.addr(fresh.owner)} now; nothing was sent for it. Plan the fix again.`,
        slot,
      );
    // The live plan's commands (key counts and markers as they are now); the planned owner where any would do.
    return { run: fresh.case === 'uncovered_no_keys' ? planned : fresh };
  }

  private async op(action: FixAction, op: FixOp): Promise<number> {
    const { slot } = action;
    switch (op.op) {
      case 'stable':
        this.intent(action, op.node, `CLUSTER SETSLOT ${slot} STABLE`);
        await this.send(op.node, slot, ['CLUSTER', 'SETSLOT', slot, 'STABLE']);
        return 0;
      case 'delslots':
        this.intent(action, op.node, `CLUSTER DELSLOTS ${slot}`);
        // "already unassigned" in that node's view is the state asked for (redis-cli ignores it too).
        await this.send(op.node, slot, ['CLUSTER', 'DELSLOTS', slot]).catch((err: unknown) => {
          if (!/already unassigned/i.test(err instanceof Error ? err.message : String(err))) throw err;
        });
        return 0;
      case 'own':
        this.intent(
          action,
          op.node,
          `MULTI CLUSTER DELSLOTS ${slot}, ADDSLOTS ${slot}${op.stable ? `, SETSLOT ${slot} STABLE` : ''}, BUMPEPOCH EXEC`,
        );
        await this.own(op.node, slot, op.stable);
        return 0;
      case 'setslot':
        this.intent(action, op.node, `CLUSTER SETSLOT ${slot} ${op.what} ${op.id}`);
        if (op.what === 'NODE') await this.setNode(action, op.node, op.id);
        else await this.send(op.node, slot, ['CLUSTER', 'SETSLOT', slot, op.what, op.id]);
        return 0;
      case 'move':
        return this.move(action, op.from, op.to);
    }
  }

  private intent(action: FixAction, nodeId: string, command: string): void {
    this.record(action, 'sending', { detail: `${command} sent to ${this.addr(nodeId)}` });
  }

  private async send(nodeId: string, slot: number, args: Array<string | number>): Promise<unknown> {
    try {
      return await this.conns.call(nodeId, 'control', args);
    } catch (err) {
      throw refusal(this.conns, nodeId, args.join(' '), err, slot);
    }
  }

  /** clusterManagerSetSlotOwner: one MULTI, DELSLOTS's error ignored (the node may not claim the slot). */
  private async own(nodeId: string, slot: number, stable: boolean): Promise<void> {
    const commands = [
      ['MULTI'],
      ['CLUSTER', 'DELSLOTS', slot],
      ['CLUSTER', 'ADDSLOTS', slot],
      ...(stable ? [['CLUSTER', 'SETSLOT', slot, 'STABLE']] : []),
      ['CLUSTER', 'BUMPEPOCH'],
      ['EXEC'],
    ];
    const what = `CLUSTER ADDSLOTS ${slot} (in MULTI with DELSLOTS${stable ? ', SETSLOT STABLE' : ''}, BUMPEPOCH)`;
    let replies: Awaited<ReturnType<MigrationConnections['pipeline']>>;
    try {
      replies = await this.conns.pipeline(nodeId, 'control', commands);
    } catch (err) {
      throw refusal(this.conns, nodeId, what, err, slot);
    }
    const exec = replies[replies.length - 1];
    if (exec?.error) throw refusal(this.conns, nodeId, what, exec.error, slot);
    const results = Array.isArray(exec?.value) ? (exec.value as unknown[]) : [];
    // [DELSLOTS, ADDSLOTS, (STABLE), BUMPEPOCH]: everything but DELSLOTS must have worked.
    const failed = results.slice(1).find((r) => r instanceof Error);
    if (failed || results.length !== commands.length - 2)
      throw refusal(this.conns, nodeId, what, failed ?? new Error(`EXEC answered ${String(exec?.value)}`), slot);
  }

  /** SETSLOT NODE: a node that still holds keys of the slot has them moved first; a master turned replica is fine. */
  private async setNode(action: FixAction, nodeId: string, ownerId: string): Promise<void> {
    const { slot } = action;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.conns.call(nodeId, 'control', ['CLUSTER', 'SETSLOT', slot, 'NODE', ownerId]);
        return;
      } catch (err) {
        if (err instanceof EngineHalted || this.conns.isHalted) throw new EngineHalted();
        if (isReplyError(err) && ONLY_MASTERS.test(replyText(err)) && nodeId !== ownerId) return;
        if (isReplyError(err) && STILL_HOLDS_KEYS.test(replyText(err)) && attempt < MAX_RELEASE_ATTEMPTS) {
          await moveKeys(this.ctx, slot, nodeId, ownerId, false);
          continue;
        }
        // A master not involved that does not answer learns the owner by gossip (as the engine does).
        const involved = nodeId === ownerId || action.moveKeysFrom.includes(nodeId);
        if (!isReplyError(err) && !involved) {
          this.notes.add(
            `${this.addr(nodeId)} was not told of the new owner of slot ${slot} (${this.conns.describe(err)}); it learns it by gossip`,
          );
          return;
        }
        throw refusal(this.conns, nodeId, `CLUSTER SETSLOT ${slot} NODE ${ownerId}`, err, slot);
      }
    }
  }

  /**
   * Every key of the slot from `from` to `to`. MIGRATE runs on a node that owns the slot or has it open; one with
   * neither (keys left on it, no marker) is set importing first, as redis-cli does for a holder, and closed after.
   */
  private async move(action: FixAction, from: string, to: string): Promise<number> {
    const { slot } = action;
    const view = parseClusterNodes(text(await this.send(from, slot, ['CLUSTER', 'NODES']))).find((l) => l.myself);
    const open =
      view?.migrating.some((m) => m.slot === slot) ||
      view?.importing.some((m) => m.slot === slot) ||
      (view ? rangeContains(view.slots, slot) : false);
    if (!open) {
      this.intent(action, from, `CLUSTER SETSLOT ${slot} IMPORTING ${to} (so MIGRATE runs there)`);
      await this.send(from, slot, ['CLUSTER', 'SETSLOT', slot, 'IMPORTING', to]);
    }
    this.intent(action, from, `MIGRATE every key of slot ${slot} to ${this.addr(to)}`);
    const moved = await moveKeys(this.ctx, slot, from, to, false);
    this.record(action, 'keys_moved', { keys: moved.keys, detail: `${moved.keys} key(s) from ${this.addr(from)}` });
    if (!open) {
      this.intent(action, from, `CLUSTER SETSLOT ${slot} STABLE`);
      await this.send(from, slot, ['CLUSTER', 'SETSLOT', slot, 'STABLE']);
    }
    return moved.keys;
  }
}
