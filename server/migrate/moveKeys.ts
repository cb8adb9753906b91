import 'server-only';
import { EngineHalted, MAX_MIGRATE_TIMEOUT_MS, type MigrationConnections, text } from './connections';
import { isReplyError, MigrationError, replyText, showKey } from './errors';
import type { Pace } from './pace';
import type { MigrationStats } from './progress';

/** MIGRATE's timeout for an ordinary batch; a big key gets one scaled to its size. */
const BASE_TIMEOUT_MS = 10_000;
const MB = 1024 * 1024;
/** No reply, TRYAGAIN: the slot's keys are read again and moved from what the node says is left, this often. */
const MAX_RETRIES = 3;
type Args = Array<string | number | Buffer>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface KeyMoveSettings {
  /** A key at least this big (MEMORY USAGE) moves alone, with a timeout scaled to its size. */
  bigKeyBytes: number;
  /** Keys per MIGRATE are chosen to carry about this many bytes. */
  batchBytes: number;
  maxBatchKeys: number;
}

export interface KeyMoveContext {
  conns: MigrationConnections;
  stats: MigrationStats;
  pace: Pace;
  settings: KeyMoveSettings;
  /** Running mean of MEMORY USAGE per key, for the next GETKEYSINSLOT's count. */
  meanKeyBytes: number;
}

interface Group {
  keys: Buffer[];
  bytes: number;
  big: boolean;
}

function groups(keys: Buffer[], sizes: number[], settings: KeyMoveSettings): Group[] {
  const out: Group[] = [];
  let current: Group = { keys: [], bytes: 0, big: false };
  keys.forEach((key, i) => {
    const size = sizes[i] ?? 0;
    if (size >= settings.bigKeyBytes) {
      out.push({ keys: [key], bytes: size, big: true });
      return;
    }
    if (
      current.keys.length &&
      (current.bytes + size > settings.batchBytes || current.keys.length >= settings.maxBatchKeys)
    ) {
      out.push(current);
      current = { keys: [], bytes: 0, big: false };
    }
    current.keys.push(key);
    current.bytes += size;
  });
  if (current.keys.length) out.push(current);
  return out;
}

function migrateTimeout(group: Group): number {
  if (!group.big) return BASE_TIMEOUT_MS;
  return Math.min(MAX_MIGRATE_TIMEOUT_MS, BASE_TIMEOUT_MS + Math.ceil(group.bytes / MB) * 1000);
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
): Promise<unknown[]> {
  const commands = keys.flatMap((k): Args[] => (asking ? [['ASKING'], command(k)] : [command(k)]));
  const replies = await ctx.conns.pipeline(nodeId, 'control', commands);
  return replies.filter((_, i) => !asking || i % 2 === 1).map((r) => (r.error ? undefined : r.value));
}

async function memoryUsage(ctx: KeyMoveContext, fromId: string, keys: Buffer[]): Promise<number[]> {
  const replies = await readEach(ctx, fromId, keys, false, (k) => ['MEMORY', 'USAGE', k]);
  return replies.map((v) => (typeof v === 'number' ? v : 0));
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
  const here = await readEach(ctx, fromId, keys, false, (k) => ['DUMP', k]);
  const present = keys.filter((_, i) => Buffer.isBuffer(here[i]));
  const hereDump = here.filter((v): v is Buffer => Buffer.isBuffer(v));
  const there = await readEach(ctx, toId, present, true, (k) => ['DUMP', k]);
  const replaceable: Buffer[] = [];
  for (const [i, key] of present.entries()) {
    const theirs = there[i];
    const ours = hereDump[i];
    if (!Buffer.isBuffer(theirs) || (ours && theirs.equals(ours)) || replace) {
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

async function migrate(
  ctx: KeyMoveContext,
  slot: number,
  fromId: string,
  toId: string,
  group: Group,
  replace: boolean,
): Promise<number> {
  const timeout = migrateTimeout(group);
  try {
    const reply = text(await ctx.conns.call(fromId, 'migrate', migrateArgs(ctx, toId, group.keys, replace, timeout)));
    return reply === 'NOKEY' ? 0 : group.keys.length;
  } catch (err) {
    if (!isReplyError(err) || !/BUSYKEY/.test(replyText(err))) throw err;
  }
  const again = await resolveBusy(ctx, slot, fromId, toId, group.keys, replace);
  if (again.length === 0) return group.keys.length;
  const reply = text(await ctx.conns.call(fromId, 'migrate', migrateArgs(ctx, toId, again, true, timeout)));
  return reply === 'NOKEY' ? group.keys.length - again.length : group.keys.length;
}

/** No reply, or a node asking to try again: nothing is assumed; the keys left are read again. */
function retryable(err: unknown): boolean {
  if (err instanceof EngineHalted || err instanceof MigrationError) return false;
  const message = replyText(err);
  if (isReplyError(err)) return /TRYAGAIN|IOERR/.test(message);
  return true;
}

/**
 * Every key of `slot` from `fromId` to `toId`: GETKEYSINSLOT, MEMORY USAGE of each (big keys move alone), MIGRATE
 * batches sized to about `batchBytes`, until the slot is empty on `fromId`. Returns the keys and bytes moved.
 */
export async function moveKeys(
  ctx: KeyMoveContext,
  slot: number,
  fromId: string,
  toId: string,
  replace: boolean,
): Promise<{ keys: number; bytes: number }> {
  let keysMoved = 0;
  let bytesMoved = 0;
  let retries = 0;
  for (;;) {
    const count = ctx.pace.capBatch(
      Math.max(
        1,
        Math.min(ctx.settings.maxBatchKeys, Math.floor(ctx.settings.batchBytes / Math.max(1, ctx.meanKeyBytes))),
      ),
    );
    let keys: Buffer[];
    try {
      keys = (await ctx.conns.call(fromId, 'control', ['CLUSTER', 'GETKEYSINSLOT', slot, count])) as Buffer[];
    } catch (err) {
      if (retryable(err) && retries < MAX_RETRIES && !isReplyError(err)) {
        retries++;
        await sleep(200 * retries);
        continue;
      }
      throw refusal(ctx.conns, fromId, `CLUSTER GETKEYSINSLOT ${slot}`, err, slot);
    }
    if (keys.length === 0) return { keys: keysMoved, bytes: bytesMoved };
    const sizes = await memoryUsage(ctx, fromId, keys);
    const known = sizes.filter((s) => s > 0);
    if (known.length) {
      const mean = known.reduce((a, b) => a + b, 0) / known.length;
      ctx.meanKeyBytes = ctx.meanKeyBytes * 0.8 + mean * 0.2;
    }
    try {
      for (const group of groups(keys, sizes, ctx.settings)) {
        await ctx.pace.before(fromId, group.keys.length);
        const moved = await migrate(ctx, slot, fromId, toId, group, replace);
        keysMoved += moved;
        bytesMoved += group.bytes;
        ctx.stats.addKeys(moved, group.bytes);
      }
    } catch (err) {
      if (retryable(err) && retries < MAX_RETRIES) {
        retries++;
        await sleep(200 * retries);
        continue;
      }
      throw refusal(ctx.conns, fromId, `MIGRATE (slot ${slot})`, err, slot);
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
