import 'server-only';
import { commandName } from '@/lib/redis/commandRenames';
import { SENTINEL_FAILOVER_STEPS, type SentinelFailoverResult } from '@/lib/sentinel/failoverJob';
import { type PlanOptions, planSentinelFailover, type SentinelFailoverPlan } from '@/lib/sentinel/failoverPlan';
import { flatRecord, recordList } from '@/lib/sentinel/replies';
import { type SentinelPick, sentinelPick } from '@/lib/sentinel/sentinelPick';
import type { SentinelSnapshot } from '@/lib/sentinel/types';
import type { ResolvedSentinel } from '../config/load';
import type { JobHandle } from '../jobs/registry';
import { liveChecks } from './failoverChecks';
import { followSwitch, SentinelFailoverError, UNDEMOTED_UNPAUSE } from './failoverFollow';
import { FailoverLinks } from './failoverLinks';
import { WritePause, waitForCatchUp } from './failoverPause';
import { SentinelEvents } from './sentinelEvents';

/** Where the job reads the deployment as the page shows it (the poller). */
export interface SnapshotSource {
  fresh(): Promise<SentinelSnapshot>;
}

export interface SentinelFailoverContext {
  deployment: ResolvedSentinel;
  snapshots: SnapshotSource;
}

const LISTEN_MS = 2000;
/** SENTINEL FAILOVER is sent only while the pause has at least this long left before its down-after bound. */
const SEND_MARGIN_MS = 300;
const isReplyError = (err: unknown) => err instanceof Error && err.name === 'ReplyError';
const VERIFY_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the page shows, from a fresh snapshot: the new master agreed on, the old one its replica. */
async function verify(
  ctx: SentinelFailoverContext,
  handle: JobHandle<SentinelFailoverResult>,
  result: SentinelFailoverResult,
): Promise<void> {
  handle.step('verified', 'running');
  const until = Date.now() + VERIFY_MS;
  let missing = '';
  while (Date.now() < until) {
    const snap = await ctx.snapshots.fresh();
    const old = snap.replicas.find((r) => r.addr === result.oldMaster);
    if (snap.master?.addr !== result.newMaster) missing = `the snapshot's master is ${snap.master?.addr ?? 'none'}`;
    else if (!snap.agreement.agreed) missing = `the sentinels name ${snap.agreement.addrs.join(' / ')}`;
    else if (snap.sentinels.some((s) => s.masterFlags?.includes('failover_in_progress')))
      missing = 'a sentinel still reports the failover in progress';
    else if (result.oldMaster && old?.reachable && old.masterAddr !== result.newMaster)
      missing = `${result.oldMaster} replicates from ${old.masterAddr ?? 'nothing'}`;
    else {
      const replicas = snap.replicas.map((r) => `${r.addr} ${r.role ?? 'unreachable'}`).join(' · ');
      handle.step(
        'verified',
        'done',
        `master ${result.newMaster}, agreed by ${snap.agreement.reachable} sentinels; ${replicas}; zero loss ${result.zeroLoss}${result.haproxyUnverified ? "; HAProxy's routing unverified" : ''}`,
      );
      return;
    }
    await sleep(250);
  }
  handle.step('verified', 'failed', missing);
  throw new SentinelFailoverError(`the new roles are in place, but the snapshot does not show them yet: ${missing}`);
}

/** "10 checks passed" or "8 of 10 checks passed; warned: HAProxy stats readable (…)": a warning is never called passed. */
function checksSummary(plan: SentinelFailoverPlan): string {
  const warned = plan.checks.filter((c) => c.status === 'warn');
  if (warned.length === 0) return `${plan.checks.length} checks passed`;
  const names = warned.map((c) => `${c.name} (${c.value})`).join('; ');
  return `${plan.checks.length - warned.length} of ${plan.checks.length} checks passed; warned: ${names}`;
}

/** CLIENT renamed to "" on the data nodes: no pause is possible (the planner says so). */
export function clientDisabled(deployment: ResolvedSentinel): boolean {
  return commandName(deployment.commandRenames, 'CLIENT', 0) === null;
}

/** The plan on a fresh snapshot: what the wizard shows is re-checked right before anything changes. */
export async function freshPlan(ctx: SentinelFailoverContext): Promise<SentinelFailoverPlan> {
  const snapshot = await ctx.snapshots.fresh();
  return planWithLiveChecks(ctx.deployment, snapshot);
}

/** The plan with the checks only the nodes can answer (replica-read-only, TILT, ACL DRYRUN). */
export async function planWithLiveChecks(
  deployment: ResolvedSentinel,
  snapshot: SentinelSnapshot,
  maxAgeMs = 0,
): Promise<SentinelFailoverPlan> {
  const live = await liveChecksOf(deployment, snapshot, maxAgeMs);
  return planSentinelFailover(snapshot, { clientDisabled: clientDisabled(deployment), ...live });
}

/** The wizard refetches the plan every 2 s per viewer: its live checks are reused for a while (the job never does). */
const recentChecks = new Map<string, { at: number; master: string | undefined; checks: Promise<PlanOptions> }>();

function liveChecksOf(
  deployment: ResolvedSentinel,
  snapshot: SentinelSnapshot,
  maxAgeMs: number,
): Promise<PlanOptions> {
  const master = snapshot.master?.addr;
  const recent = recentChecks.get(deployment.id);
  if (recent && recent.master === master && Date.now() - recent.at < maxAgeMs) return recent.checks;
  const links = new FailoverLinks(deployment);
  const checks = liveChecks(links, snapshot).finally(() => links.close());
  recentChecks.set(deployment.id, { at: Date.now(), master, checks });
  return checks;
}

/** SENTINEL MASTER / REPLICAS on the sentinel SENTINEL FAILOVER goes to, and its pick; undefined when it does not say. */
async function leaderPick(
  ctx: SentinelFailoverContext,
  links: FailoverLinks,
  leader: string | undefined,
): Promise<SentinelPick | undefined> {
  if (!leader) return undefined;
  const name = ctx.deployment.masterName;
  try {
    const [master, replicas] = await Promise.all([
      links.sentinel(leader, 'SENTINEL', 'MASTER', name),
      links.sentinel(leader, 'SENTINEL', 'REPLICAS', name),
    ]);
    return sentinelPick(flatRecord(master), recordList(replicas));
  } catch {
    return undefined;
  }
}

/** Whether every write the old master acknowledged is on the new master, and why (or why not, or not proven). */
function zeroLossVerdict(plan: SentinelFailoverPlan, pause: WritePause | undefined, result: SentinelFailoverResult) {
  if (!plan.zeroLoss.guaranteed) return { kept: false, why: `not guaranteed: ${plan.zeroLoss.reasons.join(' ')}` };
  if (pause?.endedEarly) return { kept: false, why: `not kept: ${pause.endedEarly}` };
  if (!pause || pause.expired)
    return {
      kept: false,
      why: `not kept: the pause on ${plan.masterAddr} lapsed before it was a replica, and writes it took in between may be lost`,
    };
  if (result.notWaitedFor)
    return {
      kept: false,
      why: `not proven: the sentinels promoted ${result.notWaitedFor}, which the job had not waited for; writes it had not received may be lost`,
    };
  return {
    kept: true,
    why: `kept: writers were paused on ${plan.masterAddr} until it was a replica, and ${result.newMaster} had its offset`,
  };
}

/**
 * The guided Sentinel failover. With a master that can pause writers: CLIENT PAUSE WRITE on it, every replica the
 * sentinels could promote reaches its offset, then SENTINEL FAILOVER on one sentinel; the promotion, the old master's
 * demotion and every sentinel's switch are followed on the sentinels' own events and the nodes' own INFO; the pause
 * is always released (finally). Without one, the same path without the pause, and the plan said so beforehand.
 */
export async function runSentinelFailover(
  ctx: SentinelFailoverContext,
  handle: JobHandle<SentinelFailoverResult>,
): Promise<SentinelFailoverResult> {
  const started = Date.now();
  const ms = () => Date.now() - started;
  const links = new FailoverLinks(ctx.deployment);
  const events = new SentinelEvents(ctx.deployment.masterName);
  handle.plan([...SENTINEL_FAILOVER_STEPS]);
  const result: SentinelFailoverResult = {
    oldMaster: null,
    newMaster: '',
    expected: null,
    sentinelsAgreeing: 0,
    timings: {},
    events: [],
    notes: [],
    zeroLossKept: false,
    zeroLoss: 'not kept: the job did not complete',
  };
  let pause: WritePause | undefined;
  try {
    handle.step('pre-checks on a fresh snapshot', 'running');
    const plan = await freshPlan(ctx);
    if (!plan.allowed) {
      const failed = plan.checks.filter((c) => c.status === 'fail').map((c) => `${c.name} (${c.detail ?? c.value})`);
      handle.step('pre-checks on a fresh snapshot', 'failed', failed.join('; '));
      throw new SentinelFailoverError(`pre-checks failed on a fresh snapshot: ${failed.join('; ')}`);
    }
    result.oldMaster = plan.masterAddr;
    result.expected = plan.replica?.addr ?? null;
    const snapshotSentinels = plan.sentinels;
    const listening = await events.listen(links, snapshotSentinels, LISTEN_MS);
    // The pick as the sentinel asked will make it, from its own records (its offsets, flags, s-down-time).
    const own = await leaderPick(ctx, links, snapshotSentinels[0]);
    if (own?.addr && own.addr !== result.expected) {
      result.notes.push(`${snapshotSentinels[0]}'s own view picks ${own.addr} (${own.why}), not ${result.expected}.`);
      result.expected = own.addr;
    }
    // Waited for as well, whatever the snapshot said of it (a superset is what keeps zero loss).
    const waitFor = own?.addr && !plan.waitFor.includes(own.addr) ? [...plan.waitFor, own.addr] : plan.waitFor;
    handle.step(
      'pre-checks on a fresh snapshot',
      'done',
      `${checksSummary(plan)}; ${snapshotSentinels[0] ?? 'the sentinel'} would promote ${result.expected}${own ? ` (${own.why})` : ''}; listening to ${listening} of ${snapshotSentinels.length} sentinels`,
    );

    const oldMaster = plan.masterAddr;
    let priorMasters: string[] | undefined;
    // Not when the data-node user may not demote the master (the zero-loss statement says why).
    if (plan.pauseWrites && plan.zeroLoss.pauses && oldMaster) {
      handle.step('writes paused on the master', 'running');
      const pausedFrom = Date.now();
      pause = new WritePause(links, oldMaster, plan.timings);
      try {
        await pause.start();
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        // Without a reply the pause may have taken effect: the finally unpauses. A refusal paused nothing.
        if (isReplyError(err)) pause = undefined;
        handle.step('writes paused on the master', 'failed', why);
        throw new SentinelFailoverError(`CLIENT PAUSE WRITE refused by ${oldMaster} (${why}): nothing was changed`);
      }
      const held = pause;
      result.timings.pausedMs = ms();
      handle.step(
        'writes paused on the master',
        'done',
        `CLIENT PAUSE ${plan.timings.pauseSliceMs} WRITE on ${oldMaster}, renewed; before SENTINEL FAILOVER ${Math.round(plan.timings.pauseLimitMs / 100) / 10} s at most (down-after ${plan.timings.downAfterMs} ms: to the sentinels the pause looks like an outage)`,
      );
      // Any sentinel calling the master down, or the pause near its down-after bound: stop before SENTINEL FAILOVER.
      const stopReason = () => {
        const down = events.masterDown(pausedFrom);
        if (down)
          return `${down.sentinel} reported ${down.event} for the paused master: the pause looks like an outage to the sentinels, so the job stops before they fail over on their own`;
        if (held.leftMs() < SEND_MARGIN_MS || !held.covering())
          return `the pause reached its bound (${plan.timings.pauseLimitMs} ms, below down-after-milliseconds) before the replicas caught up`;
        return undefined;
      };
      handle.step('promotable replicas caught up', 'running');
      try {
        const caught = await waitForCatchUp(
          links,
          oldMaster,
          waitFor,
          Math.min(plan.timings.catchUpMs, held.leftMs() - SEND_MARGIN_MS),
          (detail) => handle.step('promotable replicas caught up', 'running', detail),
          handle.signal,
          stopReason,
        );
        result.caughtUp = { masterOffset: caught.masterOffset, replicas: caught.replicas };
        priorMasters = caught.masters;
        const late = stopReason();
        if (late) throw new Error(late);
      } catch (err) {
        handle.step('promotable replicas caught up', 'failed', (err as Error).message);
        throw new SentinelFailoverError(`${(err as Error).message}; SENTINEL FAILOVER was not sent, writes unpaused`);
      }
      result.timings.caughtUpMs = ms();
      const caughtUp = result.caughtUp ?? { masterOffset: 0, replicas: {} };
      const offsets = Object.entries(caughtUp.replicas).map(([a, o]) => `${a} ${o}`);
      const rogue = (priorMasters ?? []).map(
        (a) => `${a} answers role:master (not a replica of the master: not waited for)`,
      );
      handle.step(
        'promotable replicas caught up',
        'done',
        [`master ${caughtUp.masterOffset}`, ...offsets, ...rogue].join(' · '),
      );
    } else {
      handle.step('writes paused on the master', 'skipped', plan.zeroLoss.reasons.join(' ') || 'writes are not paused');
      handle.step('promotable replicas caught up', 'skipped', 'not waited for: writers are not paused');
    }
    if (handle.signal.aborted)
      throw new SentinelFailoverError('cancelled by an operator before SENTINEL FAILOVER: nothing was changed');

    await followSwitch({
      ctx,
      links,
      events,
      handle,
      plan,
      sentinels: snapshotSentinels,
      pause,
      result,
      ms,
      priorMasters,
    });
    const verdict = zeroLossVerdict(plan, pause, result);
    result.zeroLossKept = verdict.kept;
    result.zeroLoss = verdict.why;
    await verify(ctx, handle, result);
    result.timings.verifiedMs = ms();
    return result;
  } finally {
    if (pause && !pause.released) {
      try {
        await pause.release();
        result.timings.unpausedMs = ms();
        if (result.newMaster && result.timings.demotedMs === undefined) {
          // Promoted, not demoted: two masters, and the writers just released go to the old one.
          const why = `the job stopped before ${result.oldMaster} was a replica of ${result.newMaster}`;
          handle.step('writes unpaused on the old master', 'failed', `CLIENT UNPAUSE: ${why}; ${UNDEMOTED_UNPAUSE}`);
          result.zeroLossKept = false;
          result.zeroLoss = `not kept: ${why}; ${UNDEMOTED_UNPAUSE}`;
        } else handle.step('writes unpaused on the old master', 'done', 'CLIENT UNPAUSE (the job stopped early)');
      } catch (err) {
        handle.step(
          'writes unpaused on the old master',
          'failed',
          `CLIENT UNPAUSE failed (${(err as Error).message}); the pause ends on its own within ${Math.round(pause.sliceMs / 1000)} s`,
        );
      }
    }
    result.events = events.events.map((e) => ({
      sentinel: e.sentinel,
      event: e.event,
      message: e.message,
      ms: e.at - started,
    }));
    events.close();
    links.close();
  }
}
