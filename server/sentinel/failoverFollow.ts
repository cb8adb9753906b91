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
  if (f.pause) {
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

async function promoted(f: Follow, leader: string, sentAt: number): Promise<string> {
  const { links, events, handle, plan, result } = f;
  handle.step('replica promoted', 'running');
  const until = failoverEnd(plan, sentAt);
  const fromLeader = (e: { sentinel: string }) => e.sentinel === leader;
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
    const picked =
      (switched && switchedTo(switched.message)?.to) ??
      instanceAddr(events.find((e) => fromLeader(e) && e.event === '+promoted-slave', sentAt)?.message ?? '') ??
      instanceAddr(events.find((e) => fromLeader(e) && e.event === '+selected-slave', sentAt)?.message ?? '');
    const candidates = picked ? [picked] : [...new Set([...plan.waitFor, ...plan.candidates.map((c) => c.addr)])];
    for (const addr of candidates) {
      const role = await links.replication(addr).then(
        (r) => r.role,
        () => undefined,
      );
      if (role === 'master') {
        result.timings.promotedMs = f.ms();
        const caught = result.caughtUp?.replicas[addr];
        const as = addr === result.expected ? 'the replica the plan named' : `not ${result.expected} as planned`;
        handle.step(
          'replica promoted',
          'done',
          `${addr} reports role:master (${as}${caught !== undefined ? `; it had the master's offset ${caught}` : ''})`,
        );
        if (addr !== result.expected)
          result.notes.push(
            `The sentinels promoted ${addr}, not ${result.expected}: they rank replicas on offsets from their own INFO (up to 10 s old).${caught !== undefined ? ' It had the master offset too, so nothing was lost.' : ''}`,
          );
        if (f.pause && caught === undefined) result.notWaitedFor = addr;
        return addr;
      }
    }
    await events.next(100);
  }
  handle.step('replica promoted', 'failed', 'no replica reports role:master');
  throw new SentinelFailoverError(
    `no replica was promoted within ${Math.round((until - sentAt) / 1000)} s of SENTINEL FAILOVER (events seen: ${events.events.map((e) => e.event).join(', ') || 'none'})`,
  );
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
  const until = failoverEnd(plan, sentAt);
  let sent = false;
  let refused = false;
  let last = '';
  while (Date.now() < until) {
    const state = await links.replication(old).catch((err: unknown) => message(err));
    if (typeof state !== 'string' && state.role === 'replica' && state.masterAddr === newMaster) {
      result.timings.demotedMs = f.ms();
      const by = sent
        ? 'REPLICAOF, CONFIG REWRITE and CLIENT KILL sent by the job in one MULTI, as Sentinel does after +switch-master'
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
          last = `the demotion was refused (${message(err)}); waiting for Sentinel's own +convert-to-slave, writers still paused`;
          handle.step(step, 'running', last);
        } else last = `the demotion got no answer (${message(err)}); retrying`;
      }
    }
    await f.events.next(refused ? 250 : 50);
  }
  handle.step(step, 'failed', last || `${old} does not replicate from ${newMaster} yet`);
  throw new SentinelFailoverError(
    `the old master ${old} is not a replica of ${newMaster} within the failover timeout: ${last}`,
  );
}
