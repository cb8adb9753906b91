import type { PreCheck } from '../failover/prechecks';
import { formatBytes } from '../format';
import { type PromotionCandidate, rankReplicas } from './promotion';
import type { SentinelDataNode, SentinelSnapshot, SentinelView } from './types';

export type { PromotionCandidate } from './promotion';

/** How long each phase of the guided failover may take, from the sentinels' own settings. */
export interface SentinelFailoverTimings {
  /** The pause on the master is set for this long and renewed while the job runs (a dashboard stop ends it). */
  pauseSliceMs: number;
  /** Writers stall at most this long in all: past it the job unpauses the master and stops. */
  pauseLimitMs: number;
  /** How long the replicas get to reach the master's offset once writes are paused. */
  catchUpMs: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
}

export interface ZeroLoss {
  /** True when the path keeps every write the master acknowledged. */
  guaranteed: boolean;
  /** What the path does and promises, or why it cannot, in plain words (the wizard shows it before Start). */
  statement: string;
  /** Each reason zero loss cannot be guaranteed. */
  reasons: string[];
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
  /** Replicas the job waits for (every one Sentinel could promote): all must reach the master's offset. */
  waitFor: string[];
  zeroLoss: ZeroLoss;
  timings: SentinelFailoverTimings;
}

export interface PlanOptions {
  /** CLIENT is disabled on the data nodes (rename-command CLIENT ""): no pause is possible. */
  clientDisabled?: boolean;
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
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
  const downAfterMs = Math.max(0, ...answering.map((s) => s.downAfterMs ?? 0)) || DEFAULT_DOWN_AFTER_MS;
  const timeouts = answering.map((s) => s.failoverTimeoutMs).filter((t): t is number => t !== undefined);
  const failoverTimeoutMs = timeouts.length > 0 ? Math.min(...timeouts) : DEFAULT_FAILOVER_TIMEOUT_MS;
  return {
    pauseSliceMs: clamp(3 * downAfterMs, 5_000, 15_000),
    pauseLimitMs: clamp(Math.floor(failoverTimeoutMs / 2), 10_000, 30_000),
    catchUpMs: clamp(downAfterMs, 1_000, 5_000),
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
  const checks: PreCheck[] = [
    ...quorumChecks(snapshot),
    agreementCheck(snapshot),
    inProgressCheck(snapshot),
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
  const zeroLoss = zeroLossOf(masterPart.pause, lagging, master, timings);
  return {
    deploymentId: snapshot.clusterId,
    deploymentName: snapshot.clusterName,
    masterName: snapshot.masterName,
    masterAddr: master?.addr ?? null,
    checks,
    allowed: checks.every((c) => c.status !== 'fail'),
    replica,
    candidates,
    sentinels: snapshot.sentinels
      .filter((s) => s.reachable)
      .sort((a, b) => Number(b.masterAddr === master?.addr) - Number(a.masterAddr === master?.addr))
      .map((s) => s.addr),
    waitFor: eligible.map((c) => c.addr),
    zeroLoss,
    timings,
  };
}

function zeroLossOf(
  pause: boolean,
  lagging: PromotionCandidate[],
  master: SentinelDataNode | null,
  t: SentinelFailoverTimings,
): ZeroLoss {
  const s = (ms: number) => `${Math.round(ms / 1000)} s`;
  if (!pause) {
    const reason =
      !master?.reachable || master.role !== 'master'
        ? 'the master does not answer, so writes cannot be paused: whatever it acknowledged but did not replicate is lost.'
        : 'writers cannot be paused on the master (no CLIENT PAUSE WRITE): writes taken during the switch can be lost.';
    return {
      guaranteed: false,
      statement: `Zero loss cannot be guaranteed: ${reason} min-replicas-to-write on the master bounds what can be lost.`,
      reasons: [reason],
    };
  }
  const stops =
    lagging.length > 0
      ? [
          `${lagging.map((c) => c.addr).join(', ')} cannot catch up (link to the master down): the job will unpause and stop without failing over rather than risk a loss.`,
        ]
      : [];
  return {
    guaranteed: true,
    statement: [
      "No acknowledged write is lost. Writes are paused on the master (CLIENT PAUSE WRITE; reads go on) until every replica the sentinels could promote has the master's replication offset; only then is SENTINEL FAILOVER sent, and the pause holds until the old master is a replica of the new one.",
      `Writers stall for the switch: a few seconds, at most ${s(t.pauseLimitMs)} (past that the job unpauses and stops).`,
      'A write waiting on the old master never runs there: once it is a replica it answers READONLY (or its connection is closed), so the client was never told OK and retries it on the new master.',
      ...stops,
    ].join(' '),
    reasons: stops,
  };
}
