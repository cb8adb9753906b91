import 'server-only';
import type { FixRequest, FixStartRequest } from '@/lib/api/schemas';
import { allows, type Principal, principalLabel } from '@/lib/auth/access';
import type { PreCheck } from '@/lib/failover/prechecks';
import type { FixPreview } from '@/lib/jobs/fixPreview';
import { type FixParams, type FixResult, isSlotMoving, type Job } from '@/lib/jobs/types';
import { type FixPlan, planFix } from '@/lib/plan/fix';
import { ApiError } from '../api/errors';
import { audit } from '../audit/log';
import { pollerOr404 } from '../clusters/poller';
import type { ClusterPoller } from '../collect/poller';
import { getJob, type JobHandle, startJob } from '../jobs/registry';
import { MigrationConnections, type MigrationNode } from '../migrate/connections';
import { migrationJournal } from '../migrate/journal';
import { repairSlots } from '../migrate/repair';
import { saveJob } from '../store/jobs';
import { readFixInput } from './fixInput';
import { assertChecksPass, assertNoOperationRunning, holdingJob } from './operationGuard';
import { refreshOpenSlots, verifyOwners } from './reshardJob';
import { check, migrationNodes, nodeNetworksCheck } from './reshardPlan';

export const FIX_STEPS = ['pre-flight', 'fix slots', 'every node agrees'] as const;
const [PREFLIGHT, FIX, VERIFY] = FIX_STEPS;

interface FixPreparation {
  preview: FixPreview;
  plan: FixPlan;
  /** In readFixInput's order: the node the plan was read from first. */
  nodes: MigrationNode[];
  /** Masters answering and not failed: each is told each new owner, and checked after. */
  masterIds: string[];
  /** An interrupted slot move of this dashboard whose open slots the fix repairs (its lock passes to the fix). */
  adopts?: Job;
  ms: number;
}

/** A slot move of this dashboard that stopped with slots open (interrupted, or failed): the fix may repair them. */
function adoptable(job: Job | undefined): job is Job {
  return job !== undefined && job.state !== 'running' && job.kind !== 'fix' && isSlotMoving(job);
}

/**
 * The plan `redis-cli --cluster fix` would carry out now, from a poll started now: every node's own view and the key
 * counts of the open and uncovered slots (readFixInput, the first node the poller lists playing the node redis-cli is
 * pointed at), planned by planFix; with the checks the job's start requires. Reads only.
 */
async function prepareFix(poller: ClusterPoller, request: FixRequest, exceptJob?: string): Promise<FixPreparation> {
  const started = Date.now();
  const snapshot = await poller.fresh().catch((err: unknown) => {
    throw new ApiError('not_ready', `could not read the cluster: ${err instanceof Error ? err.message : String(err)}`);
  });
  const nodes = migrationNodes(snapshot);
  const conns = new MigrationConnections(poller.cluster, nodes);
  let plan: FixPlan;
  try {
    const input = await readFixInput(conns, nodes);
    // A master with no address (noaddr) is not dialled at all: it is an unreachable master all the same, so its
    // slots are never taken for uncovered without the admin's "with unreachable masters".
    for (const n of snapshot.nodes)
      if (n.role === 'master' && !input.nodes.some((x) => x.id === n.id))
        input.nodes.push({ id: n.id, addr: n.addr, role: 'master', reachable: false });
    plan = planFix({ ...input, ...(request.withUnreachableMasters ? { withUnreachableMasters: true } : {}) });
  } catch (err) {
    throw new ApiError('not_ready', `could not read the nodes: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    conns.close();
  }
  const checks: PreCheck[] = [];
  const holder = holdingJob(poller.cluster.id, exceptJob);
  const adopts = adoptable(holder) ? holder : undefined;
  checks.push(
    adopts
      ? check(
          'no other operation on this cluster',
          'warn',
          `${adopts.kind} ${adopts.id} left slots open`,
          `the ${adopts.kind} job ${adopts.id} started by ${adopts.startedBy} stopped with ${adopts.openSlots?.length ?? 0} slot(s) open: the fix repairs them as redis-cli would (the side with more keys keeps each slot); what that job had not started yet stays for its Resume`,
        )
      : holder
        ? check(
            'no other operation on this cluster',
            'fail',
            `${holder.kind} ${holder.id}`,
            `${holder.kind} job ${holder.id} started by ${holder.startedBy} is ${holder.state === 'running' ? 'running' : 'holding open slots: resume or roll it back first'}`,
          )
        : check('no other operation on this cluster', 'pass', 'none'),
  );
  checks.push(nodeNetworksCheck(snapshot));
  if (plan.refused) checks.push(check('redis-cli would fix this cluster', 'fail', 'refused', plan.refused));
  if (plan.unhandled.length)
    checks.push(
      check(
        'every broken slot can be fixed',
        'warn',
        `${plan.unhandled.length} slot(s) left as they are`,
        plan.unhandled.map((u) => `slot ${u.slot}: ${u.why}`).join(' '),
      ),
    );
  const failing = checks.some((c) => c.status === 'fail');
  let reason: string | undefined;
  if (!failing && plan.actions.length === 0)
    reason = plan.unhandled.length
      ? 'nothing redis-cli can fix: every broken slot is one it gives up on'
      : 'nothing to fix: every slot is covered and none is open';
  const preview: FixPreview = {
    actions: plan.actions,
    ...(plan.refused ? { refused: plan.refused } : {}),
    unhandled: plan.unhandled,
    notes: plan.notes,
    checks,
    allowed: !failing && plan.actions.length > 0,
    ...(reason ? { reason } : {}),
  };
  const masterIds = snapshot.nodes
    .filter((n) => n.role === 'master' && n.addr && n.reachable && !n.flags.includes('fail'))
    .map((n) => n.id);
  return { preview, plan, nodes, masterIds, ...(adopts ? { adopts } : {}), ms: Date.now() - started };
}

function refuseUnreachableForNonAdmin(request: FixRequest, principal: Principal | undefined): void {
  if (request.withUnreachableMasters && !allows(principal, 'admin'))
    throw new ApiError(
      'forbidden',
      'fixing with unreachable masters reassigns their slots while their keys stay on them: it needs the admin role',
    );
}

/** POST /api/clusters/{id}/fix/plan: the preview; changes nothing. */
export function planFixFor(clusterId: string, request: FixRequest): Promise<FixPreview> {
  return previewFixOn(pollerOr404(clusterId), request);
}

export async function previewFixOn(poller: ClusterPoller, request: FixRequest): Promise<FixPreview> {
  return (await prepareFix(poller, request)).preview;
}

export function startFix(
  clusterId: string,
  request: FixStartRequest,
  principal: Principal | undefined,
): Promise<{ jobId: string }> {
  return startFixOn(pollerOr404(clusterId), request, principal);
}

/**
 * The admin role for unreachable masters, one operation per cluster, a plan with something to fix and no failing
 * check; then the job (kind `fix`): the plan's actions run by repairSlots, then every master's own view checked.
 */
export async function startFixOn(
  poller: ClusterPoller,
  request: FixStartRequest,
  principal: Principal | undefined,
): Promise<{ jobId: string }> {
  const { confirm: _, ...params } = request;
  refuseUnreachableForNonAdmin(params, principal);
  const clusterId = poller.cluster.id;
  const held = holdingJob(clusterId);
  assertNoOperationRunning(clusterId, adoptable(held) ? held.id : undefined);
  const prep = await prepareFix(poller, params);
  assertChecksPass(prep.preview.checks);
  if (!prep.preview.allowed) throw new ApiError('bad_request', prep.preview.reason ?? 'nothing to fix');
  // Checked again now that the preparation has awaited: a start that raced this one has its job registered by now,
  // and the stopped job the fix takes over must still be stopped (not resumed meanwhile).
  if (prep.adopts && !adoptable(getJob(prep.adopts.id)))
    throw new ApiError('conflict', `${prep.adopts.kind} job ${prep.adopts.id} was resumed or rolled back meanwhile`);
  assertNoOperationRunning(clusterId, prep.adopts?.id);
  const fixParams: FixParams = params.withUnreachableMasters ? { withUnreachableMasters: true } : {};
  const job = startJob<FixResult, FixParams>(
    'fix',
    clusterId,
    principalLabel(principal).user,
    (handle) => runFix(poller, handle, prep, fixParams, principal),
    fixParams,
    // The stopped job's lock passes to the fix in one transaction: no other operation slips in between.
    { exclusive: true, ...(prep.adopts ? { continues: prep.adopts.id } : {}) },
  );
  return { jobId: job.id };
}

async function runFix(
  poller: ClusterPoller,
  handle: JobHandle<FixResult>,
  prep: FixPreparation,
  params: FixParams,
  principal: Principal | undefined,
): Promise<FixResult> {
  const started = Date.now();
  const job = handle.job;
  const { actions, unhandled, notes } = prep.plan;
  handle.plan([...FIX_STEPS]);
  handle.step(
    PREFLIGHT,
    'done',
    `${actions.length} action(s) on ${new Set(actions.map((a) => a.slot)).size} slot(s)${unhandled.length ? `, ${unhandled.length} slot(s) redis-cli gives up on left as they are` : ''}; read in ${prep.ms} ms`,
  );
  const auditResult = (result: 'ok' | 'failed', extra: Record<string, unknown>, reason?: string) =>
    audit({
      ...principalLabel(principal),
      action: 'cluster.fix.result',
      result,
      status: result === 'ok' ? 200 : 500,
      cluster: poller.cluster.id,
      targets: [...new Set(actions.map((a) => a.owner))],
      params: { jobId: job.id, actions: actions.length, ...params, ...extra },
      ...(reason ? { reason } : {}),
      durationMs: Date.now() - started,
    });
  handle.step(FIX, 'running', `${actions.length} action(s)`);
  let repaired: Awaited<ReturnType<typeof repairSlots>>;
  try {
    repaired = await repairSlots({
      jobId: job.id,
      cluster: poller.cluster,
      nodes: prep.nodes,
      actions,
      ...(params.withUnreachableMasters ? { withUnreachableMasters: true } : {}),
      journal: migrationJournal(),
      signal: handle.signal,
      onProgress: (progress) => {
        job.migration = progress;
        handle.progress(progress.slotsDone, progress.slotsTotal, 'slots');
      },
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    handle.step(FIX, 'failed', message);
    await releaseAdopted(poller, prep);
    await auditResult('failed', {}, message);
    throw err instanceof Error ? err : new Error(message);
  }
  const skipped = repaired.skipped.length ? `, ${repaired.skipped.length} already fine` : '';
  const what = `${repaired.slotsFixed} action(s) run${skipped}, ${repaired.keysMoved} key(s) moved`;
  handle.step(FIX, 'done', repaired.cancelled ? `cancelled after ${what}` : what);
  handle.step(VERIFY, 'running');
  const conns = new MigrationConnections(poller.cluster, prep.nodes);
  let problem: string;
  try {
    problem = await verifyOwners(conns, prep.masterIds, repaired.owners);
  } finally {
    conns.close();
  }
  handle.step(
    VERIFY,
    problem ? 'failed' : 'done',
    problem || `${repaired.owners.size} slot(s) checked on every master`,
  );
  const result: FixResult = {
    slotsFixed: repaired.slotsFixed,
    skipped: repaired.skipped,
    keysMoved: repaired.keysMoved,
    ms: Date.now() - started + prep.ms,
    owners: Object.fromEntries(repaired.owners),
    notes: [
      ...notes,
      ...repaired.notes,
      ...unhandled.map((u) => `slot ${u.slot} left as it is: ${u.why}`),
      ...(problem ? [`after the fix: ${problem}`] : []),
    ],
  };
  const adopted = await releaseAdopted(poller, prep);
  if (adopted)
    result.notes.push(
      `the open slots of ${adopted.kind} job ${adopted.id} were repaired; ${adopted.openSlots?.length ? `${adopted.openSlots.length} remain open` : 'it holds no slot open now'}`,
    );
  await auditResult('ok', {
    slotsFixed: result.slotsFixed,
    keysMoved: result.keysMoved,
    cancelled: repaired.cancelled,
  });
  return result;
}

/**
 * The stopped job the fix took over: its open slots read again from the nodes (none once fixed, so it no longer holds
 * the cluster; the ones left, if the fix stopped, for its resume or roll back to see as they are).
 */
async function releaseAdopted(poller: ClusterPoller, prep: FixPreparation): Promise<Job | undefined> {
  if (!prep.adopts) return undefined;
  const adopted = getJob(prep.adopts.id);
  if (!adopted || adopted.state === 'running') return undefined;
  await refreshOpenSlots(poller, adopted).catch(() => undefined);
  saveJob(adopted);
  return adopted;
}
