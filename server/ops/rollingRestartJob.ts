import 'server-only';
import type { FailoverResult, Job, RestartPhase, RollingRestartResult } from '@/lib/jobs/types';
import { type RestartHealth, restartHealth } from '@/lib/plan/restartHealth';
import type { RollingRestartPlan, RollingRestartStep } from '@/lib/plan/rollingRestart';
import { describeNodeError } from '../collect/errors';
import type { ClusterPoller } from '../collect/poller';
import { JobHandle } from '../jobs/registry';
import { runFailover } from './failover';
import { JobConnections } from './jobConnections';
import { advanceOf, closeWait, openWait, probeMembers, runIdOf } from './restartWatch';
import { planOn } from './startFailover';

export interface RollingRestartTiming {
  /** How long the cluster may stay unhealthy (short of a FAIL, which stops at once) before the job stops. */
  graceMs: number;
  /** After the run_id changed: how long the link and the views may take to come back. */
  rejoinMs: number;
  /** How long a failover's pre-checks may take to pass (a recent election's wait, a link resyncing). */
  precheckMs: number;
}

export const ROLLING_RESTART_TIMING: RollingRestartTiming = { graceMs: 30_000, rejoinMs: 600_000, precheckMs: 60_000 };
const POLL_MS = 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Handle = JobHandle<RollingRestartResult>;
type Restart = Extract<RollingRestartStep, { kind: 'restart' }>;

/** A failover's own milestones, reported as the detail of the rolling restart's one step (not as steps of their own). */
class NestedFailoverHandle extends JobHandle<FailoverResult> {
  constructor(
    private readonly parent: Handle,
    private readonly stepName: string,
  ) {
    const scratch: Job<FailoverResult> = {
      id: `${parent.job.id}-failover`,
      kind: 'failover',
      clusterId: parent.job.clusterId,
      startedBy: parent.job.startedBy,
      state: 'running',
      startedAt: new Date().toISOString(),
      steps: [],
      progress: { done: 0, total: 0, unit: '' },
    };
    // Once CLUSTER FAILOVER is scheduled Redis carries it out: the failover is watched to its end, cancel or not.
    super(scratch, new AbortController().signal);
  }

  override plan(): void {}

  override step(name: string, state: string, detail?: string): void {
    if (state === 'pending' || state === 'skipped') return;
    this.parent.step(this.stepName, 'running', `${name} ${state}${detail ? `: ${detail}` : ''}`);
  }

  override progress(): void {}
}

/** Runs the plan's steps in order; any step that cannot be carried out safely stops the job with the reason. */
export async function runRollingRestart(
  poller: ClusterPoller,
  handle: Handle,
  plan: RollingRestartPlan,
  timing: RollingRestartTiming = ROLLING_RESTART_TIMING,
): Promise<RollingRestartResult> {
  const started = Date.now();
  const members = (poller.latest?.nodes ?? []).filter((n) => n.addr).map((n) => ({ id: n.id, addr: n.addr }));
  const conns = new JobConnections(poller);
  const secrets = poller.cluster.password ? [poller.cluster.password] : [];
  const result: RollingRestartResult = { restarted: [], skipped: [], failovers: 0, ms: 0 };
  handle.job.rollingRestart = {};
  handle.plan(plan.steps.map((s) => s.name));
  let current = '';

  const cancelled = () => {
    if (handle.signal.aborted) throw new Error('cancelled');
  };
  const record = (health: RestartHealth) => {
    handle.job.rollingRestart = { ...handle.job.rollingRestart, health: { ...health, at: new Date().toISOString() } };
  };

  /** Until the cluster is healthy (the restarting node aside): a FAIL stops at once, anything else after the grace. */
  const unhealthySince = { at: 0 };
  const judge = (health: RestartHealth) => {
    if (health.ok) {
      unhealthySince.at = 0;
      return;
    }
    const fatal = health.problems.find((p) => p.fatal);
    if (fatal) throw new Error(`the cluster's health degraded: ${health.summary}`);
    unhealthySince.at ||= Date.now();
    if (Date.now() - unhealthySince.at > timing.graceMs)
      throw new Error(`the cluster stayed unhealthy for ${Math.round(timing.graceMs / 1000)} s: ${health.summary}`);
  };
  const healthy = async () => {
    unhealthySince.at = 0;
    for (;;) {
      cancelled();
      const health = restartHealth(await probeMembers(conns, members));
      record(health);
      judge(health);
      if (health.ok) return health;
      if (current) handle.step(current, 'running', `waiting for the cluster to be healthy: ${health.summary}`);
      await sleep(POLL_MS);
    }
  };

  const restart = async (step: Restart): Promise<void> => {
    const runIdBefore = await runIdOf(conns, step.nodeId);
    if (!runIdBefore)
      throw new Error(`${step.addr} did not tell its run_id (INFO server): ${conns.errorOf(step.nodeId)}`);
    let phase: RestartPhase = 'run_id change';
    let runIdAfter = '';
    let seenDown = false;
    let shown = '';
    const since = new Date().toISOString();
    const needsLink = step.role === 'replica' || step.role === 'old-master';
    /** The wait is over: viewers stop seeing "restart now" with the step's end, not one push later. */
    const leave = (restarted = false) => {
      const { waiting: _over, ...rest } = handle.job.rollingRestart ?? {};
      handle.job.rollingRestart = restarted ? { ...rest, restarted: [...(rest.restarted ?? []), step.nodeId] } : rest;
    };
    openWait(handle.job.id, step.name);
    try {
      unhealthySince.at = 0;
      for (;;) {
        cancelled();
        const advance = advanceOf(handle.job.id);
        if (advance?.action === 'skip') {
          result.skipped.push({ nodeId: step.nodeId, addr: step.addr, why: `skipped by ${advance.by}` });
          leave();
          handle.step(step.name, 'skipped', `skipped by ${advance.by}`);
          return;
        }
        if (advance?.action === 'done') {
          leave(true);
          handle.step(step.name, 'done', `marked done by ${advance.by} (${phase} not seen)`);
          return;
        }
        const probes = await probeMembers(conns, members);
        const health = restartHealth(probes, { restarting: step.nodeId, slotsMayBeDown: step.role === 'lone-master' });
        record(health);
        judge(health);
        // The probes above were read before the run_id: link and views count from the next round, never from a
        // reply the old process gave just before it stopped.
        const own = phase === 'run_id change' ? undefined : probes.find((p) => p.id === step.nodeId);
        if (phase === 'run_id change') {
          const now = await runIdOf(conns, step.nodeId);
          if (!now) seenDown = true;
          else if (now !== runIdBefore) {
            runIdAfter = now;
            phase = needsLink ? 'master_link_status:up' : 'no FAIL/PFAIL in the views, cluster_state:ok';
          }
        }
        if (phase === 'master_link_status:up' && own?.linkStatus === 'up')
          phase = 'no FAIL/PFAIL in the views, cluster_state:ok';
        if (phase === 'no FAIL/PFAIL in the views, cluster_state:ok' && own) {
          const flagged = probes.some((p) =>
            p.view?.some((l) => l.id === step.nodeId && (l.flags.includes('fail') || l.flags.includes('fail?'))),
          );
          if (!flagged && own?.clusterState === 'ok') {
            result.restarted.push({ nodeId: step.nodeId, addr: step.addr, runIdBefore, runIdAfter });
            leave(true);
            handle.step(step.name, 'done', `restarted: run_id ${runIdBefore.slice(0, 8)} → ${runIdAfter.slice(0, 8)}`);
            return;
          }
        }
        handle.job.rollingRestart = {
          ...handle.job.rollingRestart,
          waiting: { step: step.name, nodeId: step.nodeId, addr: step.addr, runIdBefore, phase, seenDown, since },
        };
        const detail = runIdAfter
          ? `restarted (run_id ${runIdAfter.slice(0, 8)}); waiting for ${phase}`
          : `restart ${step.addr} now: waiting for its run_id to change from ${runIdBefore.slice(0, 8)}${seenDown ? ' (seen down)' : ''}`;
        const line = `${detail} | ${health.summary}`;
        if (line !== shown) handle.step(step.name, 'running', detail);
        shown = line;
        if (runIdAfter && Date.now() - Date.parse(since) > timing.rejoinMs)
          throw new Error(`${step.addr} restarted but did not rejoin within ${timing.rejoinMs / 1000} s: ${phase}`);
        await sleep(POLL_MS);
      }
    } finally {
      closeWait(handle.job.id);
      leave();
    }
  };

  /** A default failover of `replicaId` once its pre-checks pass (the failover job's own, on the poller's snapshot). */
  const failover = async (name: string, replicaId: string): Promise<void> => {
    const deadline = Date.now() + timing.precheckMs;
    for (;;) {
      cancelled();
      let why: string;
      try {
        const checks = planOn(poller, { replicaId }, 'default');
        if (checks.allowed) break;
        why = checks.checks
          .filter((c) => c.status === 'fail')
          .map((c) => `${c.name} (${c.value})`)
          .join('; ');
      } catch (err) {
        why = (err as Error).message;
      }
      if (Date.now() > deadline) throw new Error(`the failover's pre-checks did not pass: ${why}`);
      handle.step(name, 'running', `waiting for the failover pre-checks: ${why}`);
      await sleep(POLL_MS);
    }
    const out = await runFailover(poller, new NestedFailoverHandle(handle, name), replicaId, 'default');
    result.failovers++;
    handle.step(name, 'done', `elected in ${out.timings.electedMs ?? '?'} ms, config epoch ${out.epoch ?? '?'}`);
  };

  try {
    for (const step of plan.steps) {
      current = step.name;
      cancelled();
      if (step.kind === 'skip') {
        result.skipped.push({ nodeId: step.nodeId, addr: step.addr, why: step.reason });
        handle.step(step.name, 'skipped', step.reason);
        continue;
      }
      handle.step(step.name, 'running', "checking the cluster's health");
      await healthy();
      if (step.kind === 'restart') await restart(step);
      else await failover(step.name, step.kind === 'failover' ? step.replicaId : step.nodeId);
    }
    current = '';
    await healthy();
    result.ms = Date.now() - started;
    return result;
  } catch (err) {
    const message = describeNodeError(err, secrets);
    if (current) handle.step(current, 'failed', message);
    throw new Error(current ? `stopped at "${current}": ${message}` : message);
  } finally {
    conns.close();
  }
}
