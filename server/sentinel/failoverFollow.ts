import 'server-only';
import type { SentinelFailoverResult } from '@/lib/sentinel/failoverJob';
import type { SentinelFailoverPlan } from '@/lib/sentinel/failoverPlan';
import type { JobHandle } from '../jobs/registry';
import type { SentinelFailoverContext } from './failover';
import { haproxyRoutes, sentinelsAgree } from './failoverAgree';
import { SentinelFailoverError } from './failoverErrors';
import type { FailoverLinks } from './failoverLinks';
import type { WritePause } from './failoverPause';
import { instanceAddr, type SentinelEvents, switchedTo } from './sentinelEvents';

export { SentinelFailoverError };

/** How long Sentinel's own +convert-to-slave may take from the job's refused demotion (8 s rule + INFO periods). */
const SENTINEL_CONVERT_MS = 20_000;
const isReplyError = (err: unknown) => err instanceof Error && err.name === 'ReplyError';
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export interface Follow {
  ctx: SentinelFailoverContext;
  links: FailoverLinks;
  events: SentinelEvents;
  handle: JobHandle<SentinelFailoverResult>;
  plan: SentinelFailoverPlan;
  sentinels: string[];
  pause: WritePause | undefined;
  result: SentinelFailoverResult;
  ms: () => number;
  /**
   * Nodes that answered role:master before SENTINEL FAILOVER was sent (besides the master): their role proves no
   * promotion. From the catch-up when writers are paused; read right before sending otherwise.
   */
  priorMasters?: string[];
}

/** The nodes among `addrs` answering role:master now (those that do not answer are left out). */
async function mastersAmong(links: FailoverLinks, addrs: string[]): Promise<string[]> {
  const roles = await Promise.all(
    addrs.map((a) =>
      links.replication(a).then(
        (r) => r.role,
        () => undefined,
      ),
    ),
  );
  return addrs.filter((_, i) => roles[i] === 'master');
}

/** What Sentinel's refusal means for the operator. */
function refusal(reply: string): string {
  if (/NOGOODSLAVE/i.test(reply))
    return `the sentinel found no replica it may promote (${reply}): its own view of the replicas (flags, INFO age, link-down time) rules them all out. Nothing was changed`;
  if (/INPROG/i.test(reply))
    return `a failover is already in progress (${reply}): the sentinels are failing over on their own, or someone else started one. Nothing was changed by this job; the page shows where it ends`;
  return `SENTINEL FAILOVER refused: ${reply}. Nothing was changed`;
}

/** The failover timeout from SENTINEL FAILOVER on: Sentinel's own bound on the promotion and the reconfiguration. */
const failoverEnd = (plan: SentinelFailoverPlan, sentAt: number) =>
  sentAt + Math.max(10_000, plan.timings.failoverTimeoutMs);

/** SENTINEL FAILOVER on one sentinel, then everything Sentinel does after it, followed on its events and the nodes. */
export async function followSwitch(f: Follow): Promise<void> {
  const { links, handle, plan, result } = f;
  const name = f.ctx.deployment.masterName;
  const leader = f.sentinels[0];
  if (!leader) throw new SentinelFailoverError('no sentinel answers: SENTINEL FAILOVER was not sent');
  // From here the cancel route refuses (the step is no longer pending): Sentinel carries it out whatever we do.
  if (!f.priorMasters) {
    const nodes = [...new Set([...plan.waitFor, ...plan.candidates.map((c) => c.addr)])];
    f.priorMasters = await mastersAmong(
      links,
      nodes.filter((a) => a !== plan.masterAddr),
    );
  }
  handle.step('SENTINEL FAILOVER accepted', 'running', `sent to ${leader}`);
  const sentAt = Date.now();
  // Held until the old master is a replica, up to the failover timeout (renewed, each slice within down-after / 2).
  f.pause?.commit(failoverEnd(plan, sentAt));
  try {
    await links.sentinel(leader, 'SENTINEL', 'FAILOVER', name);
    handle.step('SENTINEL FAILOVER accepted', 'done', `${leader} answered OK`);
  } catch (err) {
    if (isReplyError(err)) {
      handle.step('SENTINEL FAILOVER accepted', 'failed', message(err));
      throw new SentinelFailoverError(refusal(message(err)));
    }
    // No reply: it may have run; the events and the nodes tell.
    result.notes.push(
      `SENTINEL FAILOVER got no reply from ${leader} (${message(err)}); the job judged by what followed.`,
    );
    handle.step('SENTINEL FAILOVER accepted', 'running', `no reply (${message(err)}): watching whether it started`);
  }
  result.sentinel = leader;
  result.timings.sentMs = f.ms();

  const newMaster = await promoted(f, leader, sentAt);
  if (handle.job.steps.find((s) => s.name === 'SENTINEL FAILOVER accepted')?.state === 'running')
    handle.step('SENTINEL FAILOVER accepted', 'done', 'no reply, but the sentinels started it');
  result.newMaster = newMaster;
  await demote(f, newMaster, sentAt);
  if (f.pause?.released) {
    // Released by demote(): the demotion was refused, and the unpause step says so.
  } else if (f.pause) {
    f.pause.settled();
    await f.pause.release();
    result.timings.unpausedMs = f.ms();
    result.paused = { fromMs: result.timings.pausedMs ?? 0, toMs: result.timings.unpausedMs };
    if (f.pause.lastError) result.notes.push(`Renewing the pause failed at least once (${f.pause.lastError}).`);
    if (f.pause.expired) {
      const at = (f.pause.lapsedAt ?? 0) - (Date.now() - f.ms());
      handle.step(
        'writes unpaused on the old master',
        'failed',
        `the pause lapsed ${at} ms into the job, before ${plan.masterAddr} was a replica: writes it took in between may be lost`,
      );
    } else
      handle.step(
        'writes unpaused on the old master',
        'done',
        `writers held on ${plan.masterAddr} now get READONLY or a closed connection (it is a replica): never acknowledged, so not lost; they retry on ${newMaster}`,
      );
  } else handle.step('writes unpaused on the old master', 'skipped', 'writes were not paused');
  await sentinelsAgree(f, newMaster, failoverEnd(plan, sentAt));
  await haproxyRoutes(f, newMaster);
}

/**
 * The node Sentinel promoted, as Sentinel names it: +switch-master (any sentinel), the chosen sentinel's
 * +promoted-slave, or its GET-MASTER-ADDR-BY-NAME naming another node than the old master; or its +selected-slave once
 * that node answers role:master, unless it already did before SENTINEL FAILOVER (a second master proves nothing).
 * Never a node only because it answers role:master.
 */
async function promoted(f: Follow, leader: string, sentAt: number): Promise<string> {
  const { links, events, handle, plan } = f;
  handle.step('replica promoted', 'running');
  const until = failoverEnd(plan, sentAt);
  const fromLeader = (e: { sentinel: string }) => e.sentinel === leader;
  const prior = f.priorMasters ?? [];
  let waiting = '';
  while (Date.now() < until) {
    // Only the chosen sentinel's abort ends this failover (another sentinel's is about an attempt of its own).
    const abort = events.find((e) => fromLeader(e) && e.event.startsWith('-failover-abort'), sentAt);
    if (abort) {
      handle.step('replica promoted', 'failed', `${abort.event} from ${abort.sentinel}`);
      throw new SentinelFailoverError(
        `the sentinels aborted the failover (${abort.event} ${abort.message}); the old master stays master`,
      );
    }
    const switched = events.find('+switch-master', sentAt);
    const leaderNames = await links.masterOf(leader).catch(() => null);
    const confirmed =
      (switched && switchedTo(switched.message)?.to) ??
      instanceAddr(events.find((e) => fromLeader(e) && e.event === '+promoted-slave', sentAt)?.message ?? '') ??
      (leaderNames && leaderNames !== plan.masterAddr ? leaderNames : undefined);
    const selected = instanceAddr(
      events.find((e) => fromLeader(e) && e.event === '+selected-slave', sentAt)?.message ?? '',
    );
    const addr = confirmed ?? selected;
    if (addr) {
      const role = await links.replication(addr).then(
        (r) => r.role,
        () => undefined,
      );
      const wasMaster = prior.includes(addr);
      if (confirmed || (role === 'master' && !wasMaster)) return accept(f, addr, role, wasMaster);
      waiting = wasMaster
        ? `${leader} selected ${addr}, which answered role:master before SENTINEL FAILOVER was sent: waiting for the sentinels to confirm it`
        : `${leader} selected ${addr}; it does not report role:master yet`;
      handle.step('replica promoted', 'running', waiting);
    }
    await events.next(100);
  }
  handle.step('replica promoted', 'failed', waiting || 'no sentinel named a promoted replica');
  throw new SentinelFailoverError(
    `no promoted replica was named by the sentinels within ${Math.round((until - sentAt) / 1000)} s of SENTINEL FAILOVER (events seen: ${events.events.map((e) => e.event).join(', ') || 'none'})`,
  );
}

/** The step and notes for the node Sentinel promoted. */
function accept(f: Follow, addr: string, role: string | undefined, wasMaster: boolean): string {
  const { handle, result } = f;
  result.timings.promotedMs = f.ms();
  const caught = result.caughtUp?.replicas[addr];
  const as = addr === result.expected ? 'the replica the plan named' : `not ${result.expected} as planned`;
  const reports =
    role === 'master' ? 'reports role:master' : `is named by the sentinels (it reports ${role ?? 'nothing'})`;
  handle.step(
    'replica promoted',
    'done',
    `${addr} ${reports} (${as}${caught !== undefined ? `; it had the master's offset ${caught}` : ''})`,
  );
  if (addr !== result.expected)
    result.notes.push(
      `The sentinels promoted ${addr}, not ${result.expected}: they rank replicas on offsets from their own INFO (up to 10 s old).${caught !== undefined ? ' It had the master offset too, so nothing was lost.' : ''}`,
    );
  if (wasMaster)
    result.notes.push(
      `${addr} already answered role:master before SENTINEL FAILOVER was sent (a second master): its data is its own, not the old master's.`,
    );
  if (f.pause && caught === undefined) result.notWaitedFor = addr;
  return addr;
}

/**
 * The old master made a replica of the new one as Sentinel does after +switch-master, at once: no second
 * role:master. Retried after transport errors; after a refusal (ACL, renamed command) the job waits for Sentinel's
 * own +convert-to-slave. Writers stay paused meanwhile, up to the failover timeout.
 */
async function demote(f: Follow, newMaster: string, sentAt: number): Promise<void> {
  const { links, handle, plan, result } = f;
  const old = plan.masterAddr;
  const step = 'old master is a replica of the new one';
  if (!old) return handle.step(step, 'skipped', 'no old master');
  handle.step(step, 'running');
  let until = failoverEnd(plan, sentAt);
  let sent = false;
  let refused = false;
  let last = '';
  while (Date.now() < until) {
    const state = await links.replication(old).catch((err: unknown) => message(err));
    if (typeof state !== 'string' && state.role === 'replica' && state.masterAddr === newMaster) {
      result.timings.demotedMs = f.ms();
      const by = sent
        ? 'REPLICAOF and CLIENT KILL sent by the job in one MULTI, then CONFIG REWRITE, as Sentinel does after +switch-master'
        : "done by Sentinel's own +convert-to-slave";
      handle.step(step, 'done', `${old} replicates from ${newMaster}, link ${state.linkUp ? 'up' : 'syncing'} (${by})`);
      return;
    }
    if (typeof state === 'string') {
      last = state;
      if (!f.pause) {
        handle.step(step, 'skipped', `${old} does not answer (${state}); Sentinel makes it a replica when it returns`);
        return;
      }
    } else if (!sent && !refused) {
      try {
        result.notes.push(...(await links.demote(old, newMaster)));
        sent = true;
        // EXEC answered: REPLICAOF took effect with the clients killed, in one step; a lapse from now loses nothing.
        f.pause?.settled();
      } catch (err) {
        if (isReplyError(err) || (err instanceof Error && err.name === 'CommandDisabled')) {
          refused = true;
          // Sentinel converts a node it lists as a replica once it has reported role:master for 8 s (4 publish
          // periods), on a later INFO: a short failover-timeout must not end the wait first.
          until = Math.max(until, Date.now() + SENTINEL_CONVERT_MS);
          last = `the demotion was refused (${message(err)}); waiting for Sentinel's own +convert-to-slave`;
          handle.step(step, 'running', last);
          // Sentinel's own REPLICAOF waits behind the paused writers (its hello PUBLISH is a write): holding them
          // would only stall them until the failover timeout. Unpaused now, and said.
          if (f.pause) await unpauseUndemoted(f, `the demotion was refused (${message(err)})`);
        } else last = `the demotion got no answer (${message(err)}); retrying`;
      }
    }
    await f.events.next(refused ? 250 : 50);
  }
  handle.step(step, 'failed', last || `${old} does not replicate from ${newMaster} yet`);
  if (f.pause && !f.pause.released) await unpauseUndemoted(f, `${old} was not a replica within the failover timeout`);
  throw new SentinelFailoverError(
    `the old master ${old} is not a replica of ${newMaster} within the failover timeout: ${last}`,
  );
}

/** The step when writers are unpaused on an old master that is not a replica yet: what it means for their writes. */
export const UNDEMOTED_UNPAUSE = 'writes taken by the old master now may be lost: it is still master';

/** Writers unpaused before the old master is a replica (it could not be demoted): the step and the verdict say so. */
async function unpauseUndemoted(f: Follow, why: string): Promise<void> {
  const pause = f.pause;
  if (!pause || pause.released) return;
  const step = 'writes unpaused on the old master';
  try {
    await pause.abandon(`${why}; writers were unpaused on ${f.plan.masterAddr} while it was still master`);
    f.result.timings.unpausedMs = f.ms();
    f.result.paused = { fromMs: f.result.timings.pausedMs ?? 0, toMs: f.result.timings.unpausedMs };
    f.handle.step(step, 'failed', `CLIENT UNPAUSE: ${why}; ${UNDEMOTED_UNPAUSE}`);
  } catch (err) {
    f.handle.step(
      step,
      'failed',
      `CLIENT UNPAUSE failed (${message(err)}); the pause ends on its own within ${Math.round(pause.sliceMs / 1000)} s: ${why}; ${UNDEMOTED_UNPAUSE}`,
    );
  }
  f.result.zeroLossKept = false;
  f.result.zeroLoss = `not kept: ${why}; ${UNDEMOTED_UNPAUSE}`;
}
