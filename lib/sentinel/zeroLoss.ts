import type { SentinelFailoverTimings } from './failoverPlan';
import type { SentinelDataNode } from './types';

export interface ZeroLoss {
  /** True when the path keeps every write the master acknowledged. */
  guaranteed: boolean;
  /** What the path does and promises, or why it cannot, in plain words (the wizard shows it before Start). */
  statement: string;
  /** Each reason zero loss cannot be guaranteed. */
  reasons: string[];
  /**
   * The job pauses writers: the master can pause them, down-after leaves room, and the data-node user may run what
   * the demotion sends (REPLICAOF, CLIENT KILL). Without the demotion the pause would only stall writers until it
   * runs out, then release them on a master Sentinel has not yet demoted.
   */
  pauses: boolean;
}

export interface ZeroLossInputs {
  /** The master answers and can pause writers (CLIENT PAUSE WRITE, CLIENT not disabled). */
  pausable: boolean;
  master: SentinelDataNode | null;
  timings: SentinelFailoverTimings;
  /** The pause is long enough to cover the catch-up and SENTINEL FAILOVER before the sentinels call the master down. */
  pauseFits: boolean;
  /** Replicas Sentinel may promote whose offset the dashboard cannot read (so it cannot wait for them). */
  unwaitable: string[];
  /** Replicas Sentinel may promote whose link to the master is down: the job would stop before any change. */
  lagging: string[];
  replicaReadOnly?: 'yes' | 'no' | null;
  /** Commands the data-node user may not run on the master: "LABEL (reason)" (ACL DRYRUN, or renamed to ""). */
  aclRefused?: string[];
}

/** What the pause path needs on the master besides CLIENT PAUSE; CONFIG REWRITE is not among them (a note if refused). */
const PAUSE_PATH_COMMANDS = ['CLIENT PAUSE', 'REPLICAOF', 'CLIENT KILL'];

/** The refused commands (from `aclRefused`) without which the job does not pause writers. */
export function pauseBlockers(aclRefused: string[] = []): string[] {
  return aclRefused.filter((r) => PAUSE_PATH_COMMANDS.some((c) => r === c || r.startsWith(`${c} `)));
}

const sec = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** Why zero loss is not guaranteed, each in words the operator can act on (empty: it is). */
export function zeroLossReasons(z: ZeroLossInputs): string[] {
  const t = z.timings;
  if (!z.pausable)
    return [
      !z.master?.reachable || z.master.role !== 'master'
        ? 'the master does not answer, so writes cannot be paused: whatever it acknowledged but did not replicate is lost.'
        : 'writers cannot be paused on the master (no CLIENT PAUSE WRITE): writes taken during the switch can be lost.',
    ];
  const blockers = pauseBlockers(z.aclRefused);
  if (blockers.length > 0)
    return [
      `the data-node user may not run ${blockers.join(', ')} on the master: the job could not make it a replica while writers are held (and Sentinel's own REPLICAOF waits behind the paused writers), so it does not pause them; writes taken during the switch can be lost (allow CLIENT PAUSE, REPLICAOF and CLIENT KILL for the data-node user to get the zero-loss path).`,
    ];
  const reasons: string[] = [];
  if (!z.pauseFits)
    reasons.push(
      `down-after-milliseconds is ${t.downAfterMs} ms: a paused master looks down to the sentinels (their PING/INFO link to it stalls behind the paused hello PUBLISH), so the pause would have to end within ${sec(t.pauseLimitMs)}, too short to let the replicas catch up and send SENTINEL FAILOVER before the sentinels fail over on their own. The job fails over without pausing writers: writes taken during the switch can be lost (down-after-milliseconds of 3 s or more allows the zero-loss path).`,
    );
  if (z.replicaReadOnly === 'no')
    reasons.push(
      'replica-read-only is no on the master: once it is a replica it still accepts the writes the pause held, acknowledges them, and they are lost at its next resync (CONFIG SET replica-read-only yes first).',
    );
  if (z.replicaReadOnly === null)
    reasons.push(
      'replica-read-only could not be read on the master (CONFIG GET refused or renamed): if it is no, the writes the pause held are acknowledged by the demoted node and lost.',
    );
  if (z.unwaitable.length > 0)
    reasons.push(
      `${z.unwaitable.join(', ')} may be promoted by the sentinels but does not answer here, so the job cannot wait for it to have the master's offset: if the sentinels pick it, writes it had not received are lost.`,
    );
  return reasons;
}

/** What the path promises, from the reasons above. */
export function zeroLossOf(z: ZeroLossInputs): ZeroLoss {
  const t = z.timings;
  const reasons = zeroLossReasons(z);
  const pauses = z.pausable && z.pauseFits && pauseBlockers(z.aclRefused).length === 0;
  const stops =
    z.lagging.length > 0
      ? [
          `${z.lagging.join(', ')} cannot catch up (link to the master down): the job will unpause and stop without failing over rather than risk a loss.`,
        ]
      : [];
  if (reasons.length > 0) {
    const bound = pauses ? '' : ' min-replicas-to-write on the master bounds what can be lost.';
    return {
      guaranteed: false,
      pauses,
      statement: `Zero loss cannot be guaranteed: ${reasons.join(' ')}${bound}${stops.length ? ` ${stops.join(' ')}` : ''}`,
      reasons,
    };
  }
  return {
    guaranteed: true,
    statement: [
      "No acknowledged write is lost. Writes are paused on the master (CLIENT PAUSE WRITE; reads go on) until every replica the sentinels could promote has the master's replication offset; only then is SENTINEL FAILOVER sent.",
      `The pause looks like an outage to the sentinels (their link to the paused master stalls), so before SENTINEL FAILOVER it lasts at most ${sec(t.pauseLimitMs)} (down-after-milliseconds ${sec(t.downAfterMs)} minus a margin): if the replicas are not caught up by then, or a sentinel calls the master down, the job unpauses and stops with nothing changed.`,
      `After SENTINEL FAILOVER the pause is renewed until the old master is a replica of the new one (at most the failover timeout, ${sec(t.failoverTimeoutMs)}); if it runs out first the job says zero loss was not kept.`,
      'A write waiting on the old master never runs there: once it is a replica it answers READONLY (and its connection is closed), so the client was never told OK and retries it on the new master.',
      ...stops,
    ].join(' '),
    reasons: [],
    pauses,
  };
}
