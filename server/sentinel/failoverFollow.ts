import 'server-only';
import { splitHostPort } from '@/lib/config/schema';
import type { SentinelFailoverResult } from '@/lib/sentinel/failoverJob';
import type { SentinelFailoverPlan } from '@/lib/sentinel/failoverPlan';
import type { JobHandle } from '../jobs/registry';
import type { SentinelFailoverContext } from './failover';
import type { FailoverLinks } from './failoverLinks';
import type { WritePause } from './failoverPause';
import { instanceAddr, type SentinelEvents, switchedTo } from './sentinelEvents';

export class SentinelFailoverError extends Error {
  override name = 'SentinelFailoverError';
}

const DEMOTE_MS = 10_000;
const AGREE_MS = 30_000;
const HAPROXY_MS = 20_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
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

/** SENTINEL FAILOVER on one sentinel, then everything Sentinel does after it, followed on its events and the nodes. */
export async function followSwitch(f: Follow): Promise<void> {
  const { links, handle, plan, result } = f;
  const name = f.ctx.deployment.masterName;
  const leader = f.sentinels[0];
  if (!leader) throw new SentinelFailoverError('no sentinel answers: SENTINEL FAILOVER was not sent');
  handle.step('SENTINEL FAILOVER accepted', 'running', `sent to ${leader}`);
  const sentAt = Date.now();
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

  const newMaster = await promoted(f, sentAt);
  if (handle.job.steps.find((s) => s.name === 'SENTINEL FAILOVER accepted')?.state === 'running')
    handle.step('SENTINEL FAILOVER accepted', 'done', 'no reply, but the sentinels started it');
  result.newMaster = newMaster;
  await demote(f, newMaster);
  if (f.pause) {
    await f.pause.release();
    result.timings.unpausedMs = f.ms();
    result.paused = { fromMs: result.timings.pausedMs ?? 0, toMs: result.timings.unpausedMs };
    handle.step(
      'writes unpaused on the old master',
      'done',
      `writers held on ${plan.masterAddr} now get READONLY (it is a replica): never acknowledged, so not lost; they retry on ${newMaster}`,
    );
    if (f.pause.lastError)
      result.notes.push(
        `Renewing the pause failed once (${f.pause.lastError}); each pause ends on its own after ${f.pause.sliceMs} ms.`,
      );
    if (f.pause.expired)
      result.notes.push(
        `The pause reached its limit (${plan.timings.pauseLimitMs} ms) before the old master was a replica: writes it took after that may be lost.`,
      );
  } else handle.step('writes unpaused on the old master', 'skipped', 'writes were not paused');
  await sentinelsAgree(f, newMaster);
  await haproxyRoutes(f, newMaster);
}

async function promoted(f: Follow, sentAt: number): Promise<string> {
  const { links, events, handle, plan, result } = f;
  handle.step('replica promoted', 'running');
  const until = sentAt + Math.max(10_000, plan.timings.failoverTimeoutMs);
  while (Date.now() < until) {
    const abort = events.find((e) => e.event.startsWith('-failover-abort'), sentAt);
    if (abort) {
      handle.step('replica promoted', 'failed', `${abort.event} from ${abort.sentinel}`);
      throw new SentinelFailoverError(
        `the sentinels aborted the failover (${abort.event} ${abort.message}); the old master stays master`,
      );
    }
    const switched = events.find('+switch-master', sentAt);
    const picked =
      (switched && switchedTo(switched.message)?.to) ??
      instanceAddr(events.find('+promoted-slave', sentAt)?.message ?? '') ??
      instanceAddr(events.find('+selected-slave', sentAt)?.message ?? '');
    for (const addr of picked ? [picked] : plan.waitFor) {
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
        if (f.pause && caught === undefined)
          result.notes.push(`${addr} was not among the replicas waited for: writes it had not received may be lost.`);
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

/** REPLICAOF the new master on the old one, as Sentinel does after +switch-master, at once: no second role:master. */
async function demote(f: Follow, newMaster: string): Promise<void> {
  const { links, handle, plan, result } = f;
  const old = plan.masterAddr;
  const step = 'old master is a replica of the new one';
  if (!old) return handle.step(step, 'skipped', 'no old master');
  handle.step(step, 'running');
  const until = Date.now() + DEMOTE_MS;
  let sent = false;
  let last = '';
  while (Date.now() < until) {
    const state = await links.replication(old).catch((err: unknown) => message(err));
    if (typeof state !== 'string' && state.role === 'replica' && state.masterAddr === newMaster) {
      result.timings.demotedMs = f.ms();
      const by = sent ? 'REPLICAOF sent by the job, as Sentinel would after +switch-master' : 'done by Sentinel';
      handle.step(step, 'done', `${old} replicates from ${newMaster}, link ${state.linkUp ? 'up' : 'syncing'} (${by})`);
      return;
    }
    if (typeof state === 'string') {
      last = state;
      if (!f.pause) {
        handle.step(step, 'skipped', `${old} does not answer (${state}); Sentinel makes it a replica when it returns`);
        return;
      }
    } else if (!sent) {
      const { host, port } = splitHostPort(newMaster);
      await links.node(old, 'REPLICAOF', host, port).catch((err: unknown) => {
        last = `REPLICAOF refused: ${message(err)}; waiting for Sentinel's own +convert-to-slave`;
      });
      sent = true;
    }
    await sleep(50);
  }
  handle.step(step, 'failed', last || `${old} does not replicate from ${newMaster} yet`);
  throw new SentinelFailoverError(
    `the old master ${old} is not a replica of ${newMaster} after ${DEMOTE_MS / 1000} s: ${last}`,
  );
}

async function sentinelsAgree(f: Follow, newMaster: string): Promise<void> {
  const { links, handle, result } = f;
  const step = 'every sentinel names the new master';
  handle.step(step, 'running');
  const until = Date.now() + AGREE_MS;
  let detail = '';
  while (Date.now() < until) {
    const named = await Promise.all(f.sentinels.map((s) => links.masterOf(s).catch(() => undefined)));
    // The leader names the new master once it reconfigures the replicas; its failover ends after them.
    const flags = await Promise.all(f.sentinels.map((s) => links.masterFlags(s).catch((): string[] => [])));
    const busy = f.sentinels.filter((_, i) => flags[i]?.includes('failover_in_progress'));
    const answering = named.filter((n) => n !== undefined);
    const agreeing = answering.filter((n) => n === newMaster).length;
    detail = f.sentinels.map((s, i) => `${s} → ${named[i] ?? 'no answer'}`).join(' · ');
    if (busy.length > 0) detail += ` · failover still in progress on ${busy.join(', ')} (replicas being reconfigured)`;
    handle.step(step, 'running', detail);
    if (answering.length > 0 && agreeing === answering.length && busy.length === 0) {
      result.sentinelsAgreeing = agreeing;
      result.timings.switchedMs = f.ms();
      handle.step(step, 'done', `${agreeing} of ${f.sentinels.length} name ${newMaster} (GET-MASTER-ADDR-BY-NAME)`);
      return;
    }
    await f.events.next(200);
  }
  handle.step(step, 'failed', detail);
  throw new SentinelFailoverError(`not every sentinel names ${newMaster} after ${AGREE_MS / 1000} s: ${detail}`);
}

async function haproxyRoutes(f: Follow, newMaster: string): Promise<void> {
  const { handle, result } = f;
  const step = 'HAProxy routes to the new master only';
  const until = Date.now() + HAPROXY_MS;
  let detail = '';
  while (Date.now() < until) {
    const snapshot = await f.ctx.snapshots.fresh();
    const haproxy = snapshot.haproxy;
    if (!haproxy) return handle.step(step, 'skipped', 'no HAProxy configured for this deployment');
    const routed = haproxy.servers.filter((s) => s.routed).map((s) => s.nodeAddr ?? s.addr ?? s.name);
    detail = haproxy.reachable
      ? `${haproxy.backend}: ${haproxy.servers.map((s) => `${s.nodeAddr ?? s.name} ${s.status}`).join(' · ')}`
      : `HAProxy stats unreadable: ${haproxy.error ?? 'no answer'}`;
    handle.step(step, 'running', detail);
    if (routed.length === 1 && routed[0] === newMaster) {
      result.haproxyRouted = routed;
      result.timings.haproxyMs = f.ms();
      handle.step(step, 'done', detail);
      return;
    }
    await sleep(250);
  }
  handle.step(step, 'failed', detail);
  throw new SentinelFailoverError(
    `HAProxy does not route to ${newMaster} alone after ${HAPROXY_MS / 1000} s: ${detail}`,
  );
}
