import 'server-only';
import { type Principal, principalLabel } from '@/lib/auth/access';
import {
  SENTINEL_FAILOVER_KIND,
  type SentinelFailoverParams,
  type SentinelFailoverResult,
} from '@/lib/sentinel/failoverJob';
import type { SentinelFailoverPlan } from '@/lib/sentinel/failoverPlan';
import { ApiError } from '../api/errors';
import { audit } from '../audit/log';
import { getSentinelPoller } from '../collect/pollers';
import { startJob } from '../jobs/registry';
import { refuseIfLocked } from '../store/operationLock';
import { freshPlan, planWithLiveChecks, runSentinelFailover } from './failover';
import type { SentinelPoller } from './poller';

/** How long the wizard's replica-read-only / TILT / ACL checks are reused (the start always re-reads them). */
const WIZARD_CHECKS_MS = 10_000;

export function sentinelPollerOr404(id: string): SentinelPoller {
  const poller = getSentinelPoller(id);
  if (!poller) throw new ApiError('not_found', `no Sentinel deployment with id "${id}"`);
  return poller;
}

/** The deployment's name: what the operator types to confirm. */
export function deploymentName(id: string): string {
  return sentinelPollerOr404(id).deployment.name;
}

/** The wizard's plan, from the latest snapshot (or a first poll when there is none yet). */
export async function sentinelFailoverPlan(id: string): Promise<SentinelFailoverPlan> {
  const poller = sentinelPollerOr404(id);
  const snapshot = poller.latest ?? (await poller.fresh());
  return planWithLiveChecks(poller.deployment, snapshot, WIZARD_CHECKS_MS);
}

/**
 * No other operation on the deployment (its operation lock, held by the job), the pre-checks passing on a fresh
 * snapshot; then the job. The result is audited as sentinel.failover.result, whatever it is.
 */
export async function startSentinelFailover(id: string, principal: Principal | undefined): Promise<{ jobId: string }> {
  const poller = sentinelPollerOr404(id);
  refuseIfLocked(id);
  const ctx = { deployment: poller.deployment, snapshots: poller };
  const plan = await freshPlan(ctx);
  if (!plan.allowed) {
    const failed = plan.checks.filter((c) => c.status === 'fail').map((c) => `${c.name} (${c.value})`);
    throw new ApiError('conflict', `pre-checks failed for a Sentinel failover: ${failed.join('; ')}`);
  }
  const who = principalLabel(principal);
  const params: SentinelFailoverParams = {
    masterName: poller.deployment.masterName,
    oldMaster: plan.masterAddr,
    expected: plan.replica?.addr ?? null,
    zeroLossGuaranteed: plan.zeroLoss.guaranteed,
  };
  const job = startJob<SentinelFailoverResult, SentinelFailoverParams>(
    SENTINEL_FAILOVER_KIND,
    id,
    who.user,
    async (handle) => {
      const started = Date.now();
      const targets = [plan.masterAddr, plan.replica?.addr].filter((a): a is string => typeof a === 'string');
      try {
        const result = await runSentinelFailover(ctx, handle);
        await audit({
          ...who,
          action: 'sentinel.failover.result',
          result: 'ok',
          status: 200,
          cluster: id,
          targets: [result.oldMaster ?? '', result.newMaster].filter(Boolean),
          params: {
            masterName: params.masterName,
            timings: result.timings,
            zeroLossGuaranteed: params.zeroLossGuaranteed,
            zeroLossKept: result.zeroLossKept,
            zeroLoss: result.zeroLoss,
            // Additive (K): the failover is done either way; HAProxy's routing verified or why not.
            haproxy: result.haproxyUnverified
              ? { verified: false, why: result.haproxyUnverified }
              : result.haproxyRouted
                ? { verified: true, routes: result.haproxyRouted }
                : undefined,
            notes: result.notes,
          },
          durationMs: Date.now() - started,
        });
        return result;
      } catch (err) {
        await audit({
          ...who,
          action: 'sentinel.failover.result',
          result: 'failed',
          status: 500,
          cluster: id,
          targets,
          params: { masterName: params.masterName },
          reason: (err as Error).message,
          durationMs: Date.now() - started,
        });
        throw err;
      }
    },
    params,
    { exclusive: true },
  );
  return { jobId: job.id };
}
