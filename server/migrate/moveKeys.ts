import 'server-only';
import { EngineHalted, MAX_MIGRATE_TIMEOUT_MS, type MigrationConnections, type Reply, text } from './connections';
import { isReplyError, MigrationError, replyText, showKey } from './errors';
import type { Pace } from './pace';
import type { MigrationStats } from './progress';
import { Semaphore } from './semaphore';

/** MIGRATE's timeout for a batch: redis-cli's default, so a big key nobody saw coming still moves. */
const BATCH_TIMEOUT_MS = 60_000;
/** A big key's: this, plus a second per MB. */
const BASE_TIMEOUT_MS = 10_000;
/** Keys of a batch whose MEMORY USAGE is read (sizes for the next batch's count, and the bytes figure). */
const SAMPLE_KEYS = 3;
/** The first batches are sampled, then one in this many: sizes seldom change within a job, commands cost CPU. */
const SAMPLE_EVERY = 8;
const MB = 1024 * 1024;
/** No reply, TRYAGAIN: the slot's keys are read again and moved from what the node says is left, this often. */
const MAX_RETRIES = 3;
type Args = Array<string | number | Buffer>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface KeyMoveSettings {
  /** A key at least this big (MEMORY USAGE, sampled) moves alone, with a timeout scaled to its size. */
  bigKeyBytes: number;
  /** Keys per MIGRATE are chosen to carry about this many bytes. */
  batchBytes: number;
  maxBatchKeys: number;
  /**
   * MIGRATEs queued on a source at once. A source runs them one after the other and serves no other client meanwhile,
   * so 1 keeps a writer's wait to one MIGRATE; 2 leaves the source no idle round trip between them.
   */
  migratesInFlight: number;
}

export interface KeyMoveContext {
  conns: MigrationConnections;
  /** Keys at least `bigKeyBytes` big, found by the preview, per slot: each moves alone, first. */
  bigKeys: Map<number, Array<{ key: Buffer; bytes: number }>>;
  stats: MigrationStats;
  pace: Pace;
  settings: KeyMoveSettings;
  /** Running mean of MEMORY USAGE per key, for the next GETKEYSINSLOT's count. */
  meanKeyBytes: number;
  /** Whether meanKeyBytes comes from measured sizes (a preview's, or a sampled batch): until then batches stay small. */
  sized: boolean;
  /** Per source: MIGRATEs in flight (settings.migratesInFlight). */
  migrating: Map<string, Semaphore>;
  /** MIGRATE batches sent so far (which of them sample key sizes). */
  batches: number;
  /** Keys (slot:hex) that got BUSYKEY once: a second BUSYKEY for the same key stops the slot rather than loop. */
  busy: Set<string>;
}

/** MIGRATE's timeout for a key of `bytes`: longer than the base in proportion to its size. */
export function bigKeyTimeout(bytes: number): number {
  return Math.min(MAX_MIGRATE_TIMEOUT_MS, BASE_TIMEOUT_MS + Math.ceil(bytes / MB) * 1000);
}

function migrateArgs(ctx: KeyMoveContext, toId: string, keys: Buffer[], replace: boolean, timeoutMs: number): Args {
  const to = ctx.conns.node(toId);
  const { username, password } = ctx.conns.cluster;
  const auth = password ? (username ? ['AUTH2', username, password] : ['AUTH', password]) : [];
  return ['MIGRATE', to.host, to.port, '', 0, timeoutMs, ...(replace ? ['REPLACE'] : []), ...auth, 'KEYS', ...keys];
}

/** One read per key; on the importing side each needs ASKING first (it holds for one command), harmless elsewhere. */
export async function readEach(
  ctx: KeyMoveContext,
  nodeId: string,
  keys: Buffer[],
  asking: boolean,
  command: (key: Buffer) => Args,
): Promise<Reply[]> {
  const commands = keys.flatMap((k): Args[] => (asking ? [['ASKING'], command(k)] : [command(k)]));
  const replies = await ctx.conns.pipeline(nodeId, 'control', commands);
  return replies.filter((_, i) => !asking || i % 2 === 1);
}

/**
 * DUMP of each key on a node: its serialized value, or null where the key is absent (a nil reply, or ASK from a
 * migrating node, which Redis sends only for a key it does not hold). Any other error (NOPERM,
 * a timeout, anything) stops the slot naming the key and the reply: an unread value is never taken for "absent".
 */
export async function readDumps(
  ctx: KeyMoveContext,
  slot: number,
  nodeId: string,
  keys: Buffer[],
  asking: boolean,
): Promise<Array<Buffer | null>> {
  let replies: Reply[];
  try {
    replies = await readEach(ctx, nodeId, keys, asking, (k) => ['DUMP', k]);
  } catch (err) {
    throw refusal(
      ctx.conns,
      nodeId,
      `DUMP of key "${showKey(keys[0] ?? Buffer.alloc(0))}"${keys.length > 1 ? ` and ${keys.length - 1} more` : ''} (slot ${slot})`,
      err,
      slot,
    );
  }
  return keys.map((key, i) => {
    const reply = replies[i];
    if (!reply)
      throw new MigrationError(
        'no_reply',
        `no reply to DUMP of key "${showKey(key)}" (slot ${slot})`,
        slot,
        showKey(key),
      );
    // A migrating node answers ASK for a key it no longer has (moved, or never there): absent, not an error.
    if (reply.error && /^ASK /.test(replyText(reply.error))) return null;
    if (reply.error) throw dumpRefused(ctx, slot, nodeId, key, reply.error);
    if (reply.value === null || reply.value === undefined) return null;
    if (Buffer.isBuffer(reply.value)) return reply.value;
    throw new MigrationError(
      'refused',
      `${ctx.conns.node(nodeId).connectAddr} answered DUMP of key "${showKey(key)}" (slot ${slot}) with ${String(reply.value)}, not a value or nil: nothing was moved or overwritten for this key`,
      slot,
      showKey(key),
    );
  });
}

function dumpRefused(ctx: KeyMoveContext, slot: number, nodeId: string, key: Buffer, err: Error): MigrationError {
  const addr = ctx.conns.node(nodeId).connectAddr;
  const reply = ctx.conns.describe(err);
  const hint = /NOPERM/i.test(reply)
    ? ` The dashboard's Redis user needs +dump on every node (ACL SETUSER <user> +dump; the operator profile in the README has it).`
    : '';
  return new MigrationError(
    isReplyError(err) ? 'refused' : 'no_reply',
    `${addr} ${isReplyError(err) ? 'refused' : 'did not answer'} DUMP of key "${showKey(key)}" in slot ${slot} (${reply}): the key's value could not be compared, so nothing was overwritten and the slot stopped here.${hint}`,
    slot,
    showKey(key),
  );
}

/**
 * BUSYKEY: MIGRATE moved the keys it could and left the ones the receiving side already has. For each key still
 * here, compare DUMP on both sides: the same value (e.g. a MIGRATE whose reply was lost) may be replaced; a different
 * one stops the move naming the key, unless `replace` (the operator chose it).
 */
async function resolveBusy(
  ctx: KeyMoveContext,
  slot: number,
  fromId: string,
  toId: string,
  keys: Buffer[],
  replace: boolean,
): Promise<Buffer[]> {
  // ASKING on both sides: the sending node may be the importing one (keys moved back to the owner), and ASKING is
  // harmless on a node that owns or is migrating the slot.
  const here = await readDumps(ctx, slot, fromId, keys, true);
  const present = keys.filter((_, i) => here[i]);
  const hereDump = here.filter((v): v is Buffer => v !== null);
  const there = await readDumps(ctx, slot, toId, present, true);
  const replaceable: Buffer[] = [];
  for (const [i, key] of present.entries()) {
    const theirs = there[i];
    const ours = hereDump[i];
    if (!theirs || (ours && theirs.equals(ours)) || replace) {
      replaceable.push(key);
      continue;
    }
    const from = ctx.conns.node(fromId).connectAddr;
    const to = ctx.conns.node(toId).connectAddr;
    throw new MigrationError(
      'busykey',
      `key "${showKey(key)}" in slot ${slot} exists on ${to} with a different value than on ${from}: nothing was overwritten. Compare the two values and delete the wrong one, or start again with "replace" to overwrite the copy on the target.`,
      slot,
      showKey(key),
    );
  }
  return replaceable;
}

/** Keys per batch before any size is known: redis-cli's default pipeline. */
const UNSIZED_BATCH_KEYS = 10;

/**
 * Keys per GETKEYSINSLOT: about `batchBytes` at the sizes seen so far, within maxBatchKeys and the throttle; 10 (as
 * redis-cli) until a size has been measured, so a job that starts blind (a resume) never sends a huge first MIGRATE.
 */
export function batchCount(ctx: KeyMoveContext): number {
  if (!ctx.sized) return ctx.pace.capBatch(UNSIZED_BATCH_KEYS);
  const bySize = Math.floor(ctx.settings.batchBytes / Math.max(1, ctx.meanKeyBytes));
  return ctx.pace.capBatch(Math.max(1, Math.min(ctx.settings.maxBatchKeys, bySize)));
}

/** Up to `n` keys spread over the batch. */
function sample(keys: Buffer[], n: number): Buffer[] {
  if (keys.length <= n) return keys;
  const step = keys.length / n;
  return Array.from({ length: n }, (_, i) => keys[Math.floor(i * step)] as Buffer);
}

/**
 * One MIGRATE, in a pipeline with MEMORY USAGE of a few of its keys before it (sizes for the next batch's count and
 * the bytes figure, at no extra round trip) and, when `confirmEmpty`, COUNTKEYSINSLOT after it (the slot is empty
 * when it answers 0: no GETKEYSINSLOT round trip to find out). BUSYKEY is resolved key by key (resolveBusy).
 */
async function migrateBatch(
  ctx: KeyMoveContext,
  slot: number,
  fromId: string,
  toId: string,
  keys: Buffer[],
  options: { replace: boolean; timeoutMs: number; sampleKeys: number; confirmEmpty: boolean },
): Promise<{ moved: number; sizes: number[]; empty: boolean }> {
  const probe = sample(keys, options.sampleKeys);
  let gate = ctx.migrating.get(fromId);
  if (!gate) {
    gate = new Semaphore(ctx.settings.migratesInFlight);
    ctx.migrating.set(fromId, gate);
  }
  const replies = await gate.run(() =>
    ctx.conns.pipeline(fromId, 'migrate', [
      ...probe.map((k) => ['MEMORY', 'USAGE', k]),
      migrateArgs(ctx, toId, keys, options.replace, options.timeoutMs),
      ...(options.confirmEmpty ? [['CLUSTER', 'COUNTKEYSINSLOT', slot]] : []),
    ]),
  );
  const sizes = replies
    .slice(0, probe.length)
    .map((r) => (typeof r.value === 'number' ? r.value : 0))
    .filter((n) => n > 0);
  const migrated = replies[probe.length];
  const counted = replies[probe.length + 1];
  if (!migrated?.error) {
    const moved = text(migrated?.value) === 'NOKEY' ? 0 : keys.length;
    return { moved, sizes, empty: options.confirmEmpty && counted?.value === 0 };
  }
  if (!isReplyError(migrated.error) || !/BUSYKEY/.test(replyText(migrated.error))) throw migrated.error;
  const seen = keys.find((k) => ctx.busy.has(`${slot}:${k.toString('hex')}`));
  if (seen)
    throw new MigrationError(
      'busykey',
      `key "${showKey(seen)}" in slot ${slot} got BUSYKEY from ${ctx.conns.node(toId).connectAddr} again after it was resolved once (${replyText(migrated.error)}): the move stopped rather than retry forever; nothing was overwritten by this MIGRATE`,
      slot,
      showKey(seen),
    );
  for (const k of keys) ctx.busy.add(`${slot}:${k.toString('hex')}`);
  const again = await resolveBusy(ctx, slot, fromId, toId, keys, options.replace);
  if (again.length)
    await gate.run(() => ctx.conns.call(fromId, 'migrate', migrateArgs(ctx, toId, again, true, options.timeoutMs)));
  return { moved: keys.length, sizes, empty: false };
}

/** No reply, or a node asking to try again: nothing is assumed; the keys left are read again. */
function retryable(err: unknown): boolean {
  if (err instanceof EngineHalted || err instanceof MigrationError) return false;
  const message = replyText(err);
  if (isReplyError(err)) return /TRYAGAIN|IOERR/.test(message);
  return true;
}

/**
 * Every key of `slot` from `fromId` to `toId`: the big keys the preview found first, each alone with a timeout scaled
 * to its size; then GETKEYSINSLOT batches sized to about `batchBytes` from the sizes seen so far, one MIGRATE each,
 * until the slot is empty on `fromId`. Returns the keys and (estimated) bytes moved.
 */
export async function moveKeys(
  ctx: KeyMoveContext,
  slot: number,
  fromId: string,
  toId: string,
  replace: boolean,
  /** The answer of a GETKEYSINSLOT with batchCount(ctx) sent together with SETSLOT MIGRATING, when there was one. */
  firstKeys?: Buffer[],
): Promise<{ keys: number; bytes: number }> {
  let keysMoved = 0;
  let bytesMoved = 0;
  let retries = 0;
  const account = (moved: number, bytes: number) => {
    keysMoved += moved;
    bytesMoved += bytes;
    ctx.stats.addKeys(moved, bytes);
  };
  const retry = async (err: unknown, what: string) => {
    if (!retryable(err) || retries >= MAX_RETRIES) throw refusal(ctx.conns, fromId, what, err, slot);
    retries++;
    await sleep(200 * retries);
  };
  for (const big of ctx.bigKeys.get(slot) ?? []) {
    await ctx.pace.before(fromId, 1, slot);
    try {
      const { moved } = await migrateBatch(ctx, slot, fromId, toId, [big.key], {
        replace,
        timeoutMs: bigKeyTimeout(big.bytes),
        sampleKeys: 0,
        confirmEmpty: false,
      });
      account(moved, moved ? big.bytes : 0);
    } catch (err) {
      await retry(err, `MIGRATE of the big key "${showKey(big.key)}" (slot ${slot})`);
    }
  }
  let given = ctx.bigKeys.has(slot) ? undefined : firstKeys;
  for (;;) {
    const count = batchCount(ctx);
    let keys: Buffer[];
    if (given && given.length <= count) {
      keys = given;
    } else {
      try {
        keys = (await ctx.conns.call(fromId, 'control', ['CLUSTER', 'GETKEYSINSLOT', slot, count])) as Buffer[];
      } catch (err) {
        await retry(err, `CLUSTER GETKEYSINSLOT ${slot}`);
        continue;
      }
    }
    given = undefined;
    if (keys.length === 0) return { keys: keysMoved, bytes: bytesMoved };
    await ctx.pace.before(fromId, keys.length, slot);
    try {
      const { moved, sizes, empty } = await migrateBatch(ctx, slot, fromId, toId, keys, {
        replace,
        timeoutMs: BATCH_TIMEOUT_MS,
        sampleKeys: ctx.batches++ < SAMPLE_EVERY || ctx.batches % SAMPLE_EVERY === 0 ? SAMPLE_KEYS : 0,
        confirmEmpty: keys.length < count,
      });
      if (sizes.length) {
        const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
        ctx.meanKeyBytes = ctx.sized ? ctx.meanKeyBytes * 0.7 + mean * 0.3 : mean;
        ctx.sized = true;
      }
      account(moved, Math.round(moved * ctx.meanKeyBytes));
      if (empty) return { keys: keysMoved, bytes: bytesMoved };
    } catch (err) {
      await retry(err, `MIGRATE (slot ${slot})`);
    }
  }
}

/** A step's failure as a MigrationError naming the node and the slot (halts and conflicts pass through). */
export function refusal(conns: MigrationConnections, nodeId: string, what: string, err: unknown, slot: number): Error {
  if (err instanceof EngineHalted || err instanceof MigrationError) return err;
  const addr = conns.node(nodeId).connectAddr;
  const why = conns.describe(err);
  return isReplyError(err)
    ? new MigrationError('refused', `${addr} refused ${what}: ${why}`, slot)
    : new MigrationError('no_reply', `no reply from ${addr} to ${what}: ${why}`, slot);
}
