// The plan `redis-cli --cluster fix` would carry out, slot by slot, shown before anything changes.
// It mirrors clusterManagerCheckCluster -> clusterManagerFixOpenSlot -> clusterManagerFixSlotsCoverage of redis-cli
// (Redis 7.0; the same code is in valkey-cli 8.0), run on the same facts: each master's own CLUSTER NODES line and
// COUNTKEYSINSLOT on each master. The one deliberate difference: an uncovered slot no node has keys in goes to the
// master with the fewest slots, where redis-cli picks a master at random.
import type { ClusterNodeLine } from '@/lib/redis/clusterNodes';
import { rangeContains, SLOT_COUNT, slotCount } from '@/lib/redis/slots';

export type FixCase =
  | 'migrating_and_importing'
  | 'importing_only'
  | 'migrating_many_importing'
  | 'migrating_no_keys'
  | 'migrating_only'
  | 'uncovered_no_keys'
  | 'uncovered_one_holder'
  | 'uncovered_many_holders';

export interface FixAction {
  slot: number;
  case: FixCase;
  /** Node id that owns the slot after this action. */
  owner: string;
  /** Human-readable, in the order redis-cli runs them. */
  steps: string[];
  /** Node ids whose keys in the slot move to `owner`. */
  moveKeysFrom: string[];
  /** The commands of `steps`, one for each step that sends something, in the same order: what the fix job runs. */
  ops: FixOp[];
}

/** One command (or key move) of a fix, on node ids. */
export type FixOp =
  | { op: 'setslot'; node: string; what: 'IMPORTING' | 'MIGRATING' | 'NODE'; id: string }
  | { op: 'stable'; node: string }
  | { op: 'delslots'; node: string }
  /** clusterManagerSetSlotOwner: in one MULTI on `node`, DELSLOTS (error ignored), ADDSLOTS, [STABLE], BUMPEPOCH. */
  | { op: 'own'; node: string; stable: boolean }
  /** Every key of the slot from `from` to `to` by MIGRATE (the slot must be open on `from`). */
  | { op: 'move'; from: string; to: string };

export interface FixPlan {
  /** In redis-cli's order: open slots first, then uncovered ones. A slot may appear twice (see planFix). */
  actions: FixAction[];
  /** Set when nothing would run, and why (redis-cli exits without fixing). */
  refused?: string;
  /** Slots redis-cli gives up on ("can't fix this slot yet"). */
  unhandled: Array<{ slot: number; why: string }>;
  /** Things the operator should know that are not steps (ties broken by node order, a choice redis-cli makes at random). */
  notes: string[];
}

export interface FixInputNode {
  id: string;
  /** host:port as the cluster announces it. */
  addr: string;
  role: 'master' | 'replica' | 'unknown';
  /** The dashboard reached it and it is not flagged fail/noaddr in the cluster's view. */
  reachable: boolean;
  /** This node's own line from its own CLUSTER NODES (slots it claims, its migrating/importing markers). */
  own?: ClusterNodeLine;
}

export interface FixInput {
  /**
   * In redis-cli's order: the node it was pointed at first, then the others as that node lists them. Where redis-cli
   * takes "the first node with the most keys", the first in this order wins a tie.
   */
  nodes: FixInputNode[];
  /** slot -> node id -> COUNTKEYSINSLOT on that master, for slotsToInspect(nodes). */
  keys: Map<number, Map<string, number>>;
  /** redis-cli's --cluster-fix-with-unreachable-masters. */
  withUnreachableMasters?: boolean;
}

/** Slot markers of one node's own view. */
function migratingTo(node: FixInputNode, slot: number): string | undefined {
  return node.own?.migrating.find((m) => m.slot === slot)?.to;
}
function isImporting(node: FixInputNode, slot: number): boolean {
  return node.own?.importing.some((m) => m.slot === slot) ?? false;
}

/** Slots some node (master or replica) has migrating or importing, in its own view, ascending. */
function openSlots(nodes: readonly FixInputNode[]): number[] {
  const open = new Set<number>();
  for (const n of nodes) {
    if (!n.reachable) continue;
    for (const m of n.own?.migrating ?? []) open.add(m.slot);
    for (const m of n.own?.importing ?? []) open.add(m.slot);
  }
  return [...open].sort((a, b) => a - b);
}

/** redis-cli works with the masters it could load; a replica, or a node it could not reach, takes no part. */
function usableMasters(nodes: readonly FixInputNode[]): FixInputNode[] {
  return nodes.filter((n) => n.reachable && n.role === 'master' && n.own !== undefined);
}

function uncoveredSlots(masters: readonly FixInputNode[]): number[] {
  const out: number[] = [];
  for (let slot = 0; slot < SLOT_COUNT; slot++)
    if (!masters.some((m) => m.own && rangeContains(m.own.slots, slot))) out.push(slot);
  return out;
}

/** The slots planFix needs key counts for: open anywhere, or claimed by no reachable master in its own view. */
export function slotsToInspect(nodes: FixInputNode[]): number[] {
  return [...new Set([...openSlots(nodes), ...uncoveredSlots(usableMasters(nodes))])].sort((a, b) => a - b);
}

/** Simulated state: which masters claim a slot, and their key counts, as redis-cli's own memory of them evolves. */
class Model {
  readonly masters: FixInputNode[];
  /** node id -> slot -> claims it, where redis-cli's memory differs from the node's view as read. */
  private readonly changed = new Map<string, Map<number, boolean>>();
  private readonly slotTotals = new Map<string, number>();

  constructor(
    masters: FixInputNode[],
    private readonly keys: Map<number, Map<string, number>>,
  ) {
    this.masters = masters;
    for (const m of masters) {
      this.changed.set(m.id, new Map());
      this.slotTotals.set(m.id, m.own ? slotCount(m.own.slots) : 0);
    }
  }

  claimsSlot(node: FixInputNode, slot: number): boolean {
    const changed = this.changed.get(node.id)?.get(slot);
    if (changed !== undefined) return changed;
    return node.own ? rangeContains(node.own.slots, slot) : false;
  }

  /** Mirrors redis-cli's `n->slots[slot] = 0/1` bookkeeping (it does not re-read the nodes between fixes). */
  setClaim(node: FixInputNode, slot: number, claims: boolean): void {
    const changed = this.changed.get(node.id);
    if (!changed || this.claimsSlot(node, slot) === claims) return;
    changed.set(slot, claims);
    this.slotTotals.set(node.id, (this.slotTotals.get(node.id) ?? 0) + (claims ? 1 : -1));
  }

  slotsOf(node: FixInputNode): number {
    return this.slotTotals.get(node.id) ?? 0;
  }

  keysIn(node: FixInputNode, slot: number): number {
    return this.keys.get(slot)?.get(node.id) ?? 0;
  }

  moveKeys(from: FixInputNode, to: FixInputNode, slot: number): number {
    const bySlot = this.keys.get(slot) ?? new Map<string, number>();
    this.keys.set(slot, bySlot);
    const n = bySlot.get(from.id) ?? 0;
    bySlot.set(from.id, 0);
    bySlot.set(to.id, (bySlot.get(to.id) ?? 0) + n);
    return n;
  }

  /**
   * clusterManagerGetNodeWithMostKeysInSlot: the first master with strictly more keys than those before it, so a tie
   * goes to the earlier node in redis-cli's list, and with no keys anywhere the first master listed.
   */
  mostKeys(candidates: readonly FixInputNode[], slot: number): FixInputNode | undefined {
    let best: FixInputNode | undefined;
    for (const n of candidates) if (!best || this.keysIn(n, slot) > this.keysIn(best, slot)) best = n;
    return best;
  }
}

const addr = (n: FixInputNode) => n.addr;
const list = (nodes: readonly FixInputNode[]) => nodes.map(addr).join(', ');

class Steps {
  readonly steps: string[] = [];
  readonly ops: FixOp[] = [];
  readonly moveKeysFrom: string[] = [];
  constructor(
    private readonly model: Model,
    readonly slot: number,
  ) {}

  done(kase: FixCase, owner: FixInputNode): FixAction {
    return {
      slot: this.slot,
      case: kase,
      owner: owner.id,
      steps: this.steps,
      moveKeysFrom: this.moveKeysFrom,
      ops: this.ops,
    };
  }
  setslot(on: FixInputNode, what: 'IMPORTING' | 'MIGRATING' | 'NODE', id: string): void {
    this.steps.push(`CLUSTER SETSLOT ${this.slot} ${what} ${id} on ${on.addr}`);
    this.ops.push({ op: 'setslot', node: on.id, what, id });
  }
  stable(on: FixInputNode): void {
    this.steps.push(`CLUSTER SETSLOT ${this.slot} STABLE on ${on.addr}`);
    this.ops.push({ op: 'stable', node: on.id });
  }
  delslots(on: FixInputNode): void {
    this.steps.push(`CLUSTER DELSLOTS ${this.slot} on ${on.addr}`);
    this.ops.push({ op: 'delslots', node: on.id });
  }
  /** clusterManagerSetSlotOwner: DELSLOTS (error ignored), ADDSLOTS, [STABLE], BUMPEPOCH in one MULTI on the node. */
  takeOwnership(on: FixInputNode, clear: boolean): void {
    this.steps.push(
      `CLUSTER DELSLOTS ${this.slot}, ADDSLOTS ${this.slot}${clear ? `, SETSLOT ${this.slot} STABLE` : ''}, BUMPEPOCH (one MULTI) on ${on.addr}`,
    );
    this.ops.push({ op: 'own', node: on.id, stable: clear });
    this.model.setClaim(on, this.slot, true);
  }
  /**
   * clusterManagerMoveSlot. Warm (not cold): IMPORTING on the target, MIGRATING on the source, keys, then SETSLOT NODE
   * on the target first, then the source, then every other master. Cold: only the keys (the caller set the states).
   */
  move(from: FixInputNode, to: FixInputNode, cold: boolean): void {
    if (!cold) {
      this.setslot(to, 'IMPORTING', from.id);
      this.setslot(from, 'MIGRATING', to.id);
    }
    const n = this.model.moveKeys(from, to, this.slot);
    this.steps.push(`move ${n} key${n === 1 ? '' : 's'} from ${from.addr} to ${to.addr} (MIGRATE, 10 keys a batch)`);
    this.ops.push({ op: 'move', from: from.id, to: to.id });
    if (!this.moveKeysFrom.includes(from.id)) this.moveKeysFrom.push(from.id);
    if (!cold) {
      this.setslot(to, 'NODE', to.id);
      this.setslot(from, 'NODE', to.id);
      for (const m of this.model.masters) if (m !== from && m !== to) this.setslot(m, 'NODE', to.id);
    }
  }
}

type OpenResult = { action: FixAction } | { unhandled: string };

/** What redis-cli gives up on, with the steps it would already have run on the way (they are not undone). */
function giveUp(s: Steps, why: string): OpenResult {
  return { unhandled: s.steps.length > 0 ? `${why}; already run by then: ${s.steps.join('; ')}` : why };
}

/** clusterManagerFixOpenSlot for one slot, on the model. */
function fixOpenSlot(model: Model, slot: number, notes: string[]): OpenResult {
  const masters = model.masters;
  const s = new Steps(model, slot);
  // Potential owners: masters that claim the slot in their own view, and masters that do not but hold keys in it.
  // A move target that already received keys is one of them, so a move cut short mid-slot has no single owner: the
  // side with more keys takes the slot (a roll back or a roll forward), it is not "case 1".
  const owners = masters.filter((n) => model.claimsSlot(n, slot) || model.keysIn(n, slot) > 0);
  let owner: FixInputNode | undefined = owners.length === 1 ? owners[0] : undefined;
  // A master counts as migrating if its view says so, else as importing if its view says so; a master with neither
  // marker that holds keys and is not the single owner is treated as importing too (keys outside their home).
  const migrating: FixInputNode[] = [];
  const importing: FixInputNode[] = [];
  for (const n of masters) {
    if (migratingTo(n, slot)) migrating.push(n);
    else if (isImporting(n, slot)) importing.push(n);
    else if (n !== owner && model.keysIn(n, slot) > 0) importing.push(n);
  }
  const remove = (from: FixInputNode[], n: FixInputNode) => {
    const i = from.indexOf(n);
    if (i >= 0) from.splice(i, 1);
  };
  if (!owner) {
    // No single owner: the master with the most keys becomes it (ADDSLOTS after STABLE on it), whatever its markers.
    owner = model.mostKeys(masters, slot);
    if (!owner) return { unhandled: "no master to own it (redis-cli: Can't select a slot owner)" };
    if (owners.length === 0 || model.keysIn(owner, slot) === 0)
      notes.push(`slot ${slot}: no master holds keys in it; redis-cli gives it to the first master it lists`);
    s.steps.push(`no single owner: ${owner.addr} has the most keys (${model.keysIn(owner, slot)}) and takes it`);
    s.stable(owner);
    s.takeOwnership(owner, false);
    remove(migrating, owner);
    remove(importing, owner);
  }
  // Several claimers: all but the owner give the slot up and are set importing from the owner, so the cases below
  // treat them as importing nodes (their keys go to the owner).
  if (owners.length > 1) {
    for (const n of owners) {
      if (n === owner) continue;
      s.delslots(n);
      model.setClaim(n, slot, false);
      s.setslot(n, 'NODE', owner.id);
      s.setslot(n, 'IMPORTING', owner.id);
      remove(importing, n);
      importing.push(n);
      remove(migrating, n);
    }
  }
  const [src] = migrating;
  if (src && migrating.length === 1 && importing.length === 1 && importing[0]) {
    // Case 1: one migrating, one importing: finish the move towards the importing node, whoever it is (redis-cli
    // does not check that the migrating node points at it), and that node owns the slot everywhere afterwards.
    const dst = importing[0];
    if (migratingTo(src, slot) !== dst.id)
      notes.push(
        `slot ${slot}: ${src.addr} migrates it to another node, redis-cli moves it to ${dst.addr} all the same`,
      );
    s.move(src, dst, false);
    model.setClaim(src, slot, false);
    model.setClaim(dst, slot, true);
    return { action: s.done('migrating_and_importing', dst) };
  }
  if (migrating.length === 0 && importing.length > 0) {
    // Case 2: importing only: the keys of every importing node go back to the owner (cold: the states stay as they
    // are during the MIGRATEs), each is set STABLE, then every other master is told SETSLOT NODE owner.
    const to = owner;
    for (const n of importing) {
      if (n === to) continue;
      if (model.keysIn(n, slot) > 0) s.move(n, to, true);
      s.stable(n);
    }
    for (const m of masters) if (m !== to) s.setslot(m, 'NODE', to.id);
    return { action: s.done('importing_only', to) };
  }
  if (src && migrating.length === 1 && importing.length > 1) {
    // Case 3: one migrating, several importing. Only when no importing node holds keys (one that does was already
    // made a potential owner above, so this refusal is hardly reachable): move to the importing node
    // the migrating side names and close the rest; if none is that node, close the slot everywhere (owner unchanged).
    const holder = importing.find((n) => model.keysIn(n, slot) > 0);
    if (holder)
      return giveUp(
        s,
        `migrating in ${src.addr}, importing in ${list(importing)}, and ${holder.addr} holds keys: redis-cli can't fix this slot`,
      );
    const dst = importing.find((n) => n.id === migratingTo(src, slot));
    if (dst) {
      s.move(src, dst, false);
      for (const n of importing) if (n !== dst) s.stable(n);
      return { action: s.done('migrating_many_importing', dst) };
    }
    s.stable(src);
    for (const n of importing) s.stable(n);
    return { action: s.done('migrating_many_importing', owner) };
  }
  if (src && migrating.length === 1 && importing.length === 0) {
    // Case 4: migrating, nothing importing: closed (STABLE on the migrating node) when that node is the owner, keys
    // or not, or holds no keys. A non-owner migrating node with keys is left unfixed.
    const keys = model.keysIn(src, slot);
    if (src === owner || keys === 0) {
      s.stable(src);
      return { action: s.done(keys === 0 ? 'migrating_no_keys' : 'migrating_only', owner) };
    }
  }
  return giveUp(
    s,
    `redis-cli can't fix this slot yet: migrating in ${list(migrating) || '-'}, importing in ${list(importing) || '-'}, owner ${owner.addr}`,
  );
}

/** clusterManagerFixSlotsCoverage for the slots no master claims (after the open slots were fixed). */
function fixCoverage(model: Model, slots: readonly number[], notes: string[]): FixAction[] {
  const actions: FixAction[] = [];
  for (const slot of slots) {
    const s = new Steps(model, slot);
    // Which masters hold keys in it (redis-cli asks each master in its order for one key of the slot).
    const holders = model.masters.filter((n) => model.keysIn(n, slot) > 0);
    const [only] = holders;
    if (holders.length === 0) {
      // redis-cli: a random master. Here: the master with the fewest slots (counting those just given), the earlier
      // one on a tie, so the plan shown is the plan run and empty slots spread out.
      let target: FixInputNode | undefined;
      for (const m of model.masters) if (!target || model.slotsOf(m) < model.slotsOf(target)) target = m;
      if (!target) continue;
      s.takeOwnership(target, false);
      actions.push(s.done('uncovered_no_keys', target));
    } else if (holders.length === 1 && only) {
      // Keys on exactly one master: that master takes the slot.
      s.takeOwnership(only, false);
      actions.push(s.done('uncovered_one_holder', only));
    } else {
      // Keys on several: the one with the most keys (first on a tie) takes it (STABLE too); each other holder is told
      // SETSLOT NODE target, then IMPORTING target (so MIGRATE is not redirected), its keys move cold, then STABLE.
      const target = model.mostKeys(holders, slot);
      if (!target) continue;
      const most = model.keysIn(target, slot);
      if (holders.some((h) => h !== target && model.keysIn(h, slot) === most))
        notes.push(`slot ${slot}: a tie on key count, broken by node order as redis-cli does`);
      s.takeOwnership(target, true);
      for (const n of holders) {
        if (n === target) continue;
        s.setslot(n, 'NODE', target.id);
        s.setslot(n, 'IMPORTING', target.id);
        s.move(n, target, true);
        s.stable(n);
      }
      actions.push(s.done('uncovered_many_holders', target));
    }
  }
  return actions;
}

/**
 * The plan, per slot. Open slots first (each on its own: redis-cli would stop at the first it cannot fix, in an order
 * of its own, and leave the rest for another run), then the slots left uncovered. An open slot whose single potential
 * owner holds keys without claiming it is closed first and covered after, as two actions: redis-cli does the same.
 */
export function planFix(input: FixInput): FixPlan {
  const notes: string[] = [];
  const unreachable = input.nodes.filter((n) => n.role !== 'replica' && !n.reachable);
  const masters = usableMasters(input.nodes);
  const open = openSlots(input.nodes);
  const uncoveredBefore = uncoveredSlots(masters);
  if (open.length === 0 && uncoveredBefore.length === 0) return { actions: [], unhandled: [], notes };
  // redis-cli drops masters it cannot load and then sees their slots as uncovered. It fixes nothing in that state
  // unless told --cluster-fix-with-unreachable-masters; with it, those slots are reassigned (data stays behind).
  if (unreachable.length > 0 && !input.withUnreachableMasters)
    return {
      actions: [],
      unhandled: [],
      notes,
      refused: `${unreachable.length} master${unreachable.length === 1 ? ' is' : 's are'} unreachable (${list(unreachable)}): redis-cli would treat their slots as uncovered and reassign them; fixing refused unless run with unreachable masters`,
    };
  if (unreachable.length > 0)
    notes.push(`slots of the unreachable ${list(unreachable)} count as uncovered and are reassigned`);
  const model = new Model(masters, cloneKeys(input.keys));
  const actions: FixAction[] = [];
  const unhandled: FixPlan['unhandled'] = [];
  for (const slot of open) {
    const result = fixOpenSlot(model, slot, notes);
    if ('action' in result) actions.push(result.action);
    else unhandled.push({ slot, why: result.unhandled });
  }
  const uncovered = [];
  for (let slot = 0; slot < SLOT_COUNT; slot++)
    if (!masters.some((m) => model.claimsSlot(m, slot))) uncovered.push(slot);
  actions.push(...fixCoverage(model, uncovered, notes));
  if (actions.some((a) => a.case === 'uncovered_no_keys'))
    notes.push(
      'uncovered slots without keys go to the master with the fewest slots; redis-cli would pick a master at random',
    );
  return { actions, unhandled, notes };
}

function cloneKeys(keys: Map<number, Map<string, number>>): Map<number, Map<string, number>> {
  return new Map([...keys].map(([slot, byNode]) => [slot, new Map(byNode)]));
}
