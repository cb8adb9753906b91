import type { PreCheck } from '../failover/prechecks';
import { formatBytes } from '../format';
import { haproxyChecks, secondMasterCheck } from './failoverPlanRouting';
import { type PromotionCandidate, rankReplicas } from './promotion';
import type { SentinelDataNode, SentinelSnapshot, SentinelView } from './types';
import { type ZeroLoss, zeroLossOf } from './zeroLoss';

export type { PromotionCandidate } from './promotion';
export type { ZeroLoss } from './zeroLoss';

/** How long each phase of the guided failover may take, from the sentinels' own settings. */
export interface SentinelFailoverTimings {
  /**
   * Each CLIENT PAUSE on the master lasts this long (at most half of down-after-milliseconds) and is renewed while the
   * job runs: a dashboard that stops leaves writers paused for one slice at most.
   */
  pauseSliceMs: number;
  /**
   * Before SENTINEL FAILOVER is sent the pause lasts at most this long in all (down-after-milliseconds minus a
   * margin): the sentinels' PING/INFO/hello link to a paused master stalls, so to them a longer pause looks like an
   * outage, and they would fail over on their own. Past it the job unpauses the master and stops, nothing changed.
   */
  pauseLimitMs: number;
  /** How long the replicas get to reach the master's offset once writes are paused. */
  catchUpMs: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
}

export interface SentinelFailoverPlan {
  deploymentId: string;
  deploymentName: string;
  masterName: string;
  /** The master the sentinels agree on now. */
  masterAddr: string | null;
  checks: PreCheck[];
  /** False when a check fails: the server refuses to start. */
  allowed: boolean;
  /** The replica the sentinels would promote (Sentinel's own order), null when none qualifies. */
  replica: PromotionCandidate | null;
  /** Every replica the sentinels list, best first; the skipped ones with why. */
  candidates: PromotionCandidate[];
  /** The reachable sentinels, the ones naming the agreed master first (SENTINEL FAILOVER goes to the first). */
  sentinels: string[];
  /**
   * Replicas the job waits for: every replica the master or any sentinel lists that answers here and whose priority
   * is not 0 (a superset of what the sentinel may pick, whatever its view): all must reach the master's offset.
   */
  waitFor: string[];
  /** Writes are paused on the master for the switch (the master can pause them, and down-after leaves room). */
  pauseWrites: boolean;
  zeroLoss: ZeroLoss;
  timings: SentinelFailoverTimings;
}

export interface PlanOptions {
  /** CLIENT is disabled on the data nodes (rename-command CLIENT ""): no pause is possible. */
  clientDisabled?: boolean;
  /** CONFIG GET replica-read-only on the master ("yes", "no"), null when it could not be read; absent: not asked. */
  replicaReadOnly?: 'yes' | 'no' | null;
  /** Sentinels reporting sentinel_tilt:1 (INFO sentinel): in TILT a sentinel acts on nothing for 30 s. */
  tilted?: string[];
  /** Commands the data-node user may not run on the master (ACL DRYRUN), each with the server's reason. */
  aclRefused?: string[];
  /** Why the data-node user's rights could not be checked (ACL DRYRUN needs Redis 7), when they could not. */
  aclUnchecked?: string;
}

/** The pause ends this long before down-after-milliseconds: a sentinel's last good reply may be ~1 s older. */
export const PAUSE_MARGIN_MS = 2000;
/** Below this the pause cannot cover the catch-up and SENTINEL FAILOVER before the sentinels call the master down. */
export const MIN_PAUSE_MS = 1000;
const DEFAULT_DOWN_AFTER_MS = 30_000;
const DEFAULT_FAILOVER_TIMEOUT_MS = 180_000;

/** CLIENT PAUSE … WRITE came with Redis 6.2 (Valkey has it from its first release). */
export function hasPauseWrite(version: string | undefined): boolean | undefined {
  const m = version?.match(/^(\d+)\.(\d+)/);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major > 6 || (major === 6 && Number(m[2]) >= 2);
}

export function failoverTimings(sentinels: SentinelView[]): SentinelFailoverTimings {
  const answering = sentinels.filter((s) => s.reachable);
  // The smallest down-after is the first sentinel to call a paused master down.
  const downAfters = answering.map((s) => s.downAfterMs).filter((d): d is number => d !== undefined && d > 0);
  const downAfterMs = downAfters.length > 0 ? Math.min(...downAfters) : DEFAULT_DOWN_AFTER_MS;
  const timeouts = answering.map((s) => s.failoverTimeoutMs).filter((t): t is number => t !== undefined);
  const failoverTimeoutMs = timeouts.length > 0 ? Math.min(...timeouts) : DEFAULT_FAILOVER_TIMEOUT_MS;
  const pauseLimitMs = Math.max(0, Math.min(30_000, downAfterMs - PAUSE_MARGIN_MS));
  return {
    pauseSliceMs: Math.max(100, Math.min(15_000, Math.floor(downAfterMs / 2))),
    pauseLimitMs,
    catchUpMs: Math.max(0, Math.min(5_000, pauseLimitMs)),
    downAfterMs,
    failoverTimeoutMs,
  };
}

function check(name: string, status: PreCheck['status'], value: string, detail?: string): PreCheck {
  return { name, status, value, ...(detail ? { detail } : {}) };
}

function quorumChecks(snapshot: SentinelSnapshot): PreCheck[] {
  const total = snapshot.sentinels.length;
  const answering = snapshot.sentinels.filter((s) => s.reachable);
  const quorum = Math.max(0, ...answering.map((s) => s.quorum ?? 0));
  const majority = Math.floor(total / 2) + 1;
  const enough = answering.length >= quorum && answering.length >= majority;
  const ckOk = answering.filter((s) => s.ckquorum?.ok).length;
  const ckBad = answering.find((s) => s.ckquorum && !s.ckquorum.ok);
  return [
    check(
      'sentinels reachable',
      enough ? 'pass' : 'fail',
      `${answering.length} of ${total} (quorum ${quorum || '?'}, majority ${majority})`,
      enough ? undefined : 'the sentinels cannot authorise a failover: start the stopped sentinels first',
    ),
    check(
      'quorum (CKQUORUM)',
      ckOk >= majority ? 'pass' : 'fail',
      `ok on ${ckOk} of ${total}`,
      ckOk >= majority ? undefined : (ckBad?.ckquorum?.message ?? 'no answer from a majority of the sentinels'),
    ),
  ];
}

function agreementCheck(snapshot: SentinelSnapshot): PreCheck {
  const { agreed, addrs } = snapshot.agreement;
  return agreed && addrs.length === 1
    ? check('sentinels agree on the master', 'pass', addrs[0] ?? '')
    : check(
        'sentinels agree on the master',
        'fail',
        addrs.length > 0 ? addrs.join(' / ') : 'no sentinel names a master',
        'the sentinels must agree before a failover is guided: wait for them to settle (or fix the sentinel that names another master)',
      );
}

function inProgressCheck(snapshot: SentinelSnapshot): PreCheck {
  const busy = snapshot.sentinels.filter((s) => s.masterFlags?.includes('failover_in_progress'));
  return busy.length === 0
    ? check('no failover in progress', 'pass', 'none')
    : check(
        'no failover in progress',
        'fail',
        busy.map((s) => s.addr).join(', '),
        'a failover is already running: wait for it to end',
      );
}

/**
 * The sentinels' own judgement of the master: o_down means their failover is starting (a guided one would race it and
 * cannot keep zero loss on a master that does not answer); s_down means one or more suspect it, and within
 * down-after-milliseconds a quorum may agree. Waiting is then the safe move: said before the operator confirms.
 */
function sentinelsJudgeCheck(snapshot: SentinelSnapshot, downAfterMs: number | undefined): PreCheck {
  const master = snapshot.master;
  const flagsOf = (flag: string) => snapshot.sentinels.filter((s) => s.reachable && s.masterFlags?.includes(flag));
  const odown = flagsOf('o_down');
  const sdown = flagsOf('s_down');
  const within = downAfterMs !== undefined ? ` (down-after-milliseconds ${downAfterMs} ms)` : '';
  if (odown.length)
    return check(
      'the sentinels do not judge the master down',
      'fail',
      `o_down on ${odown.map((s) => s.addr).join(', ')}`,
      `the sentinels see ${master?.addr ?? 'the master'} down and are starting their own failover: wait for it, do not start another`,
    );
  if (sdown.length)
    return check(
      'the sentinels do not judge the master down',
      'warn',
      `s_down on ${sdown.map((s) => s.addr).join(', ')}`,
      `suspected down: if it is, the sentinels fail over on their own once a quorum agrees${within}; a guided failover now races them and cannot keep zero loss on a master that does not answer. Waiting a few seconds is the safe move.`,
    );
  return check('the sentinels do not judge the master down', 'pass', 'no s_down or o_down');
}

/**
 * The master and every replica Sentinel may promote must be inside nodeNetworks: the job pauses the one and reads the
 * others' offsets, and the dashboard sends nothing outside (a sentinel naming a host of someone else's).
 */
function nodeNetworksCheck(
  master: SentinelDataNode | null,
  eligible: readonly PromotionCandidate[],
  snapshot: SentinelSnapshot,
): PreCheck {
  const outsideAddrs = new Set(
    [...(snapshot.master ? [snapshot.master] : []), ...snapshot.replicas]
      .filter((n) => n.outsideNodeNetworks)
      .map((n) => n.addr),
  );
  const outside = [
    ...(master && outsideAddrs.has(master.addr) ? [`master ${master.addr}`] : []),
    ...eligible.filter((c) => outsideAddrs.has(c.addr)).map((c) => `replica ${c.addr}`),
  ];
  return outside.length === 0
    ? check('data nodes inside nodeNetworks', 'pass', 'master and promotable replicas')
    : check(
        'data nodes inside nodeNetworks',
        'fail',
        outside.join(', '),
        "outside this deployment's nodeNetworks: the dashboard does not connect there. Add the network to nodeNetworks if the node is yours; otherwise find the sentinel that names it",
      );
}

function masterChecks(master: SentinelDataNode | null, options: PlanOptions): { checks: PreCheck[]; pause: boolean } {
  if (!master?.reachable || master.role !== 'master') {
    const why = !master ? 'no master named' : !master.reachable ? (master.error ?? 'unreachable') : 'it is not master';
    return {
      checks: [
        check(
          'master reachable (writes can be paused)',
          'warn',
          master?.addr ?? 'none',
          `${why}: the writes it acknowledged but did not replicate cannot be kept`,
        ),
      ],
      pause: false,
    };
  }
  const pauseWrite = hasPauseWrite(master.version);
  const pauseOk = pauseWrite !== false && !options.clientDisabled;
  return {
    checks: [
      check('master reachable (writes can be paused)', 'pass', master.addr),
      check(
        'CLIENT PAUSE WRITE available',
        pauseOk ? (pauseWrite === undefined ? 'warn' : 'pass') : 'warn',
        options.clientDisabled ? 'CLIENT is disabled' : `version ${master.version ?? 'unknown'}`,
        options.clientDisabled
          ? 'rename-command CLIENT "" on the nodes: writers cannot be paused'
          : pauseWrite === false
            ? 'Redis before 6.2 has no CLIENT PAUSE WRITE: writers cannot be paused without also stopping reads'
            : pauseWrite === undefined
              ? 'the version is not known: the pause is tried, and the job stops if it is refused'
              : undefined,
      ),
    ],
    pause: pauseOk,
  };
}

/**
 * The guided Sentinel failover, planned from one snapshot: the pre-checks, the replica the sentinels would promote and
 * why, and what the path promises. The job re-plans from a fresh snapshot before it changes anything.
 */
export function planSentinelFailover(snapshot: SentinelSnapshot, options: PlanOptions = {}): SentinelFailoverPlan {
  const timings = failoverTimings(snapshot.sentinels);
  const master = snapshot.master;
  const candidates = rankReplicas(snapshot, timings.downAfterMs);
  const replica = candidates.find((c) => c.eligible) ?? null;
  const eligible = candidates.filter((c) => c.eligible);
  const masterPart = masterChecks(master, options);
  const lagging = eligible.filter((c) => c.linkUp === false);
  const promotable = snapshot.replicas.filter((r) => r.priority !== 0);
  const waitFor = promotable.filter((r) => r.reachable).map((r) => r.addr);
  const unwaitable = promotable.filter((r) => !r.reachable).map((r) => r.addr);
  const pauseFits = timings.pauseLimitMs >= MIN_PAUSE_MS;
  const tilted = options.tilted ?? [];
  const checks: PreCheck[] = [
    ...quorumChecks(snapshot),
    agreementCheck(snapshot),
    inProgressCheck(snapshot),
    sentinelsJudgeCheck(snapshot, timings.downAfterMs),
    secondMasterCheck(snapshot),
    nodeNetworksCheck(master, eligible, snapshot),
    ...masterPart.checks,
    replica
      ? check('a replica the sentinels can promote', 'pass', replica.addr, replica.why)
      : check(
          'a replica the sentinels can promote',
          'fail',
          'none',
          candidates.length > 0
            ? candidates.map((c) => `${c.addr}: ${c.why}`).join('; ')
            : 'the sentinels list no replica',
        ),
  ];
  if (replica)
    checks.push(
      check(
        'promoted replica lag',
        replica.linkUp === false ? 'warn' : 'pass',
        replica.lagBytes !== undefined ? formatBytes(replica.lagBytes) : 'not known',
        replica.linkUp === false ? 'its link to the master is down: it cannot catch up' : undefined,
      ),
    );
  if (lagging.length > 0 && masterPart.pause)
    checks.push(
      check(
        'every promotable replica can catch up',
        'warn',
        lagging.map((c) => c.addr).join(', '),
        'link to the master down: the job waits for every replica Sentinel may promote, so it would stop (and unpause) without failing over',
      ),
    );
  // The path's promise first: whether the job pauses at all (a refused CLIENT PAUSE, REPLICAOF or CLIENT KILL takes
  // the pause away) decides what the safety checks say.
  const zeroLoss = zeroLossOf({
    pausable: masterPart.pause,
    master,
    timings,
    pauseFits,
    unwaitable,
    lagging: lagging.map((c) => c.addr),
    replicaReadOnly: options.replicaReadOnly,
    aclRefused: options.aclRefused,
  });
  checks.push(...safetyChecks(options, timings, pauseFits && masterPart.pause && zeroLoss.pauses));
  // Where clients are sent: warned, never blocking (the sentinels decide the master, not HAProxy).
  checks.push(...haproxyChecks(snapshot, replica?.addr));
  return {
    deploymentId: snapshot.clusterId,
    deploymentName: snapshot.clusterName,
    masterName: snapshot.masterName,
    masterAddr: master?.addr ?? null,
    checks,
    allowed: checks.every((c) => c.status !== 'fail'),
    replica,
    candidates,
    // SENTINEL FAILOVER goes to the first: one naming the agreed master, not in TILT.
    sentinels: snapshot.sentinels
      .filter((s) => s.reachable)
      .map((s) => ({ addr: s.addr, rank: Number(s.masterAddr !== master?.addr) + 2 * Number(tilted.includes(s.addr)) }))
      .sort((a, b) => a.rank - b.rank)
      .map((s) => s.addr),
    waitFor,
    pauseWrites: masterPart.pause && pauseFits && zeroLoss.pauses,
    zeroLoss,
    timings,
  };
}

/** TILT, replica-read-only, the data-node user's rights, and whether down-after leaves room for the pause. */
function safetyChecks(options: PlanOptions, t: SentinelFailoverTimings, pauseUsed: boolean): PreCheck[] {
  const out: PreCheck[] = [];
  if (options.tilted !== undefined)
    out.push(
      options.tilted.length === 0
        ? check('no sentinel in TILT', 'pass', 'none')
        : check(
            'no sentinel in TILT',
            'warn',
            options.tilted.join(', '),
            'a sentinel in TILT acts on nothing for 30 s (its clock jumped or it was stalled): SENTINEL FAILOVER goes to another one',
          ),
    );
  out.push(
    check(
      'pause fits within down-after-milliseconds',
      pauseUsed ? 'pass' : 'warn',
      `down-after ${t.downAfterMs} ms; pause before SENTINEL FAILOVER ${t.pauseLimitMs} ms at most, renewed every ${t.pauseSliceMs} ms`,
      pauseUsed ? undefined : 'writes are not paused for this failover (see the zero-loss statement)',
    ),
  );
  if (options.replicaReadOnly !== undefined)
    out.push(
      check(
        'replica-read-only on the master',
        options.replicaReadOnly === 'yes' ? 'pass' : 'warn',
        options.replicaReadOnly ?? 'could not be read',
        options.replicaReadOnly === 'yes'
          ? undefined
          : 'the writes the pause holds could be acknowledged by the demoted node',
      ),
    );
  if (options.aclRefused !== undefined || options.aclUnchecked !== undefined)
    out.push(
      options.aclRefused && options.aclRefused.length > 0
        ? check('data-node user may pause and demote', 'warn', options.aclRefused.join('; '))
        : options.aclUnchecked
          ? check('data-node user may pause and demote', 'warn', 'unchecked', options.aclUnchecked)
          : check('data-node user may pause and demote', 'pass', 'CLIENT PAUSE, REPLICAOF allowed (ACL DRYRUN)'),
    );
  return out;
}
