import 'server-only';
import { parseInfo } from '@/lib/redis/info';
import { type NodePersistence, parsePersistence } from '@/lib/redis/persistence';

/** One command to the node; rejects with the node's error reply. */
export type Ask = (command: string, ...args: string[]) => Promise<unknown>;

export interface SaveWatch {
  signal: AbortSignal;
  deadlineMs: number;
  pollMs: number;
  /** Told what the node is waiting for, for the step's detail. */
  onWait?: (why: string) => void;
}

export interface SaveOutcome {
  before: NodePersistence;
  after: NodePersistence;
  forkUsec?: number;
}

/** A save failed on the node (rdb_last_bgsave_status:err), or did not end in time: the message names the cause. */
export class SaveFailedError extends Error {
  override readonly name = 'SaveFailedError';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function persistence(ask: Ask): Promise<NodePersistence> {
  const p = parsePersistence(parseInfo(String(await ask('INFO', 'persistence'))));
  if (!p) throw new Error('INFO persistence is empty');
  return p;
}

/** The node's clock (TIME), so a save can be told apart from one in the same second; undefined if refused. */
async function nodeSecond(ask: Ask): Promise<number | undefined> {
  try {
    const reply = await ask('TIME');
    return Array.isArray(reply) ? Number(reply[0]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * BGSAVE on one node, and wait for a save that STARTED after this call to end. rdb_last_save_time has a one-second
 * grain, so the save is only asked once the node's clock has passed the last one; BGSAVE SCHEDULE covers an AOF
 * rewrite that holds the fork (the save starts when it ends); an RDB save already running (automatic, or a
 * replica's full sync) started before the request: wait for it to end, then ask again. Started = rdb_saves
 * (7.0+, counts every started save) went up, or BGSAVE said so, or rdb_bgsave_in_progress was seen. Done = no save
 * running and rdb_last_bgsave_status ok with rdb_last_save_time advanced; err fails.
 */
export async function saveNode(ask: Ask, watch: SaveWatch): Promise<SaveOutcome> {
  const deadline = Date.now() + watch.deadlineMs;
  const cancelled = () => {
    if (watch.signal.aborted) throw new Error('cancelled (a save already asked goes on on the node)');
  };
  const before = await persistence(ask);
  const lastBefore = before.lastSaveTime ?? 0;
  for (;;) {
    const second = await nodeSecond(ask);
    if (second === undefined) await sleep(1000);
    if (second === undefined || second > lastBefore || Date.now() >= deadline) break;
    await sleep(watch.pollMs);
  }
  let started = false;
  let asked = false;
  let now = before;
  // The state last read before BGSAVE was accepted: a save seen after it is the one asked for.
  let atAsk = before;
  while (Date.now() < deadline) {
    cancelled();
    if (!asked && now.bgsaveInProgress)
      watch.onWait?.('an RDB save that started before the request is running: waiting for it to end');
    else if (!asked) {
      try {
        const reply = String(await ask('BGSAVE', 'SCHEDULE'));
        asked = true;
        atAsk = now;
        started = /started/i.test(reply);
        if (!started) watch.onWait?.('scheduled: another fork (AOF rewrite) runs; the save starts when it ends');
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (!/already in progress/i.test(message)) throw new SaveFailedError(`BGSAVE refused: ${message}`);
      }
    }
    await sleep(watch.pollMs);
    now = await persistence(ask);
    if (!asked) continue;
    // Once asked, no RDB save was running (BGSAVE refuses while one is): any save seen or ended since is ours.
    const savesUp = atAsk.saves !== undefined && (now.saves ?? 0) > atAsk.saves;
    if (now.bgsaveInProgress || savesUp || (now.lastSaveTime ?? 0) > (atAsk.lastSaveTime ?? 0)) started = true;
    if (!started || now.bgsaveInProgress) continue;
    if (now.lastBgsaveStatus === 'err')
      throw new SaveFailedError(
        "the save failed (rdb_last_bgsave_status:err): read the node's log (full disk? dir not writable? fork failed?)",
      );
    if ((now.lastSaveTime ?? 0) > lastBefore) {
      const stats = parseInfo(String(await ask('INFO', 'stats'))).fields;
      const forkUsec = Number(stats.latest_fork_usec);
      return { before, after: now, ...(Number.isFinite(forkUsec) && forkUsec > 0 ? { forkUsec } : {}) };
    }
  }
  const running = now.bgsaveInProgress ? 'a save is still running on the node' : 'no save ran';
  throw new SaveFailedError(`no finished save within ${Math.round(watch.deadlineMs / 1000)} s (${running})`);
}
