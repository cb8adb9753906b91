// One round of `npm run bench:sentinel-failover`: a fresh Sentinel group (1 master + 2 replicas + 3 sentinels + HAProxy
// on 127.0.0.1-3), the 2,000 writes/s one-key-per-write writer through HAProxy, one way of failing over, and what it
// cost the writer. A fresh group per round: Sentinel holds back a second failover within 2 × failover-timeout.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import type { SentinelFailoverJob } from '../../lib/sentinel/failoverJob';
import { stopPollers } from '../../server/collect/pollers';
import { getJob } from '../../server/jobs/registry';
import { sentinelFailoverPlan, startSentinelFailover } from '../../server/sentinel/startSentinelFailover';
import { waitFor } from '../devcluster/cluster';
import { startSentinelLossWriter } from '../sentinelgroup/lossWriter';
import { type SentinelGroup, startSentinelGroup } from '../sentinelgroup/sentinelGroup';

const run = promisify(execFile);

export const METHODS = ['guided', 'baseline', 'sigstop'] as const;
export type FailoverMethod = (typeof METHODS)[number];

export const WRITES_PER_SECOND = 2000;
/** Watch period of the agreement probe (every sentinel's GET-MASTER-ADDR-BY-NAME and HAProxy's `show stat`). */
const WATCH_EVERY_MS = 20;

export interface RoundFigures {
  method: FailoverMethod;
  flavour: string;
  round: number;
  acked: number;
  lost: number;
  failed: number;
  failedBy: Record<string, number>;
  longestStallMs: number;
  /** ms from the request (or the SIGSTOP) until every sentinel names the new master. */
  sentinelsAgreeMs: number;
  /** ms from the request until HAProxy routes to the new master only. */
  haproxyMs: number;
  /** The later of the two: every sentinel and HAProxy name the new master. */
  allAgreeMs: number;
  /**
   * How long (summed over the probes, until the old master replicates from the new one) HAProxy had two or more servers
   * UP: new connections went to either (its checks lag the roles by up to fall × inter).
   */
  haproxyTwoUpMs: number;
  newMaster: string;
  /** The guided job's own milestones (ms since the job started), for reading the stall. */
  jobTimings?: Record<string, number | undefined>;
}

export interface RoundSpec {
  method: FailoverMethod;
  flavour: string;
  round: number;
  serverBin: string;
  /** The dashboard config file the guided round writes (DASHBOARD_CONFIG points at it). */
  configPath: string;
  /** Called with a stop function while the round holds processes, and with undefined once it released them. */
  holding: (stop: (() => Promise<void>) | undefined) => void;
}

/** Polls every sentinel and HAProxy until both name one new master; the times are from `t0`. */
async function watchAgreement(group: SentinelGroup, oldMaster: string, t0: number, timeoutMs: number) {
  const sentinels: Redis[] = group.sentinels.map((_, i) => group.sentinelClient(i));
  await Promise.all(sentinels.map((s) => s.connect()));
  const haproxy = group.haproxy;
  if (!haproxy) throw new Error('the group has no HAProxy');
  let sentinelsAt: { addr: string; ms: number } | undefined;
  let haproxyAt: { addr: string; ms: number } | undefined;
  let twoUpMs = 0;
  let lastProbe = 0;
  try {
    return await waitFor(
      'every sentinel and HAProxy to name a new master',
      async () => {
        const [named, up] = await Promise.all([
          Promise.all(
            sentinels.map((s) =>
              (s.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', group.masterName) as Promise<string[] | null>)
                .then((r) => (r ? `${r[0]}:${r[1]}` : null))
                .catch(() => null),
            ),
          ),
          haproxy.upServers().catch(() => [] as string[]),
        ]);
        const now = performance.now() - t0;
        if (up.length > 1) twoUpMs += now - lastProbe;
        lastProbe = now;
        const first = named[0];
        const agreed = first && first !== oldMaster && named.every((a) => a === first) ? first : undefined;
        if (!agreed) sentinelsAt = undefined;
        else if (sentinelsAt?.addr !== agreed) sentinelsAt = { addr: agreed, ms: now };
        const routed = up.length === 1 && up[0] !== oldMaster ? up[0] : undefined;
        if (!routed) haproxyAt = undefined;
        else if (haproxyAt?.addr !== routed) haproxyAt = { addr: routed, ms: now };
        if (!sentinelsAt || !haproxyAt || sentinelsAt.addr !== haproxyAt.addr) return undefined;
        return { newMaster: sentinelsAt.addr, sentinelsMs: sentinelsAt.ms, haproxyMs: haproxyAt.ms, twoUpMs };
      },
      timeoutMs,
      WATCH_EVERY_MS,
    );
  } finally {
    for (const s of sentinels) s.disconnect();
  }
}

/** The guided round's dashboard: a config naming this group only, the pollers started from it. */
async function dashboardFor(group: SentinelGroup, id: string, configPath: string): Promise<void> {
  await writeFile(
    configPath,
    JSON.stringify({ clusters: [group.configEntry({ pollIntervalMs: 500 })], auditLogPath: 'audit.jsonl' }),
  );
  stopPollers();
  await waitFor(
    'the wizard to allow the failover',
    async () => ((await sentinelFailoverPlan(id)).allowed ? true : undefined),
    30_000,
    250,
  );
}

async function guidedFailover(id: string): Promise<() => Promise<SentinelFailoverJob>> {
  const { jobId } = await startSentinelFailover(id, undefined);
  return () =>
    waitFor(
      'the sentinel-failover job to end',
      async () => {
        const job = getJob(jobId) as SentinelFailoverJob | undefined;
        return job && job.state !== 'running' ? job : undefined;
      },
      60_000,
      50,
    );
}

/** SENTINEL FAILOVER on the first sentinel through redis-cli, as an SRE would type it. */
async function plainFailover(group: SentinelGroup): Promise<void> {
  const s = group.sentinels[0];
  if (!s) throw new Error('no sentinel');
  const { stdout } = await run('redis-cli', [
    '-h',
    s.host,
    '-p',
    String(s.port),
    'SENTINEL',
    'FAILOVER',
    group.masterName,
  ]);
  if (stdout.trim() !== 'OK') throw new Error(`SENTINEL FAILOVER answered ${stdout.trim()}`);
}

export async function runRound(spec: RoundSpec): Promise<RoundFigures> {
  const id = `bench-${spec.flavour}-${spec.method}-${spec.round}`;
  const group = await startSentinelGroup({
    serverBin: spec.serverBin,
    id,
    name: id,
    downAfterMs: 2000,
    failoverTimeoutMs: 10_000,
  });
  const oldMaster = group.master.addr;
  let paused = false;
  let released: Promise<void> | undefined;
  const release = () => {
    released ??= (async () => {
      if (paused) group.resume(oldMaster);
      paused = false;
      if (spec.method === 'guided') stopPollers();
      await group.stop();
    })();
    return released;
  };
  spec.holding(release);
  try {
    if (spec.method === 'guided') await dashboardFor(group, id, spec.configPath);
    const writer = startSentinelLossWriter({
      frontend: group.haproxy?.frontendAddr ?? '',
      perSecond: WRITES_PER_SECOND,
      durationMs: 120_000,
    });
    try {
      await waitFor(
        '1 s of writes',
        async () => (writer.counts().acked > WRITES_PER_SECOND ? true : undefined),
        15_000,
      );
      const t0 = performance.now();
      let jobEnded: (() => Promise<SentinelFailoverJob>) | undefined;
      if (spec.method === 'guided') jobEnded = await guidedFailover(id);
      else if (spec.method === 'baseline') await plainFailover(group);
      else {
        group.pause(oldMaster);
        paused = true;
      }
      const agreed = await watchAgreement(group, oldMaster, t0, 60_000);
      if (paused) {
        group.resume(oldMaster);
        paused = false;
      }
      const job = await jobEnded?.();
      if (job && job.state !== 'succeeded') throw new Error(`the guided failover ${job.state}: ${job.error}`);
      // Until the old master replicates from the new one and HAProxy routes to the new one only (a SIGSTOPped master
      // comes back saying role:master until Sentinel converts it): HAProxy's two-UP time counts on.
      let twoUpAfterMs = 0;
      let lastProbe = performance.now();
      await waitFor(
        'the old master to replicate from the new one, HAProxy routing to the new one only',
        async () => {
          const [role, up] = await Promise.all([
            group.client(oldMaster).call('ROLE') as Promise<unknown[]>,
            group.haproxy?.upServers() ?? Promise.resolve([]),
          ]);
          const now = performance.now();
          if (up.length > 1) twoUpAfterMs += now - lastProbe;
          lastProbe = now;
          const demoted = role[0] === 'slave' && `${role[1]}:${role[2]}` === agreed.newMaster;
          return demoted && up.length === 1 && up[0] === agreed.newMaster ? true : undefined;
        },
        60_000,
        WATCH_EVERY_MS,
      );
      const ackedNow = writer.counts().acked;
      await waitFor(
        '1 s of writes on the new master',
        async () => (writer.counts().acked > ackedNow + WRITES_PER_SECOND ? true : undefined),
        15_000,
      );
      const report = await writer.verify(agreed.newMaster);
      return {
        method: spec.method,
        flavour: spec.flavour,
        round: spec.round,
        acked: report.acked,
        lost: report.lost,
        failed: report.failed,
        failedBy: report.failedBy,
        longestStallMs: report.longestStallMs,
        sentinelsAgreeMs: agreed.sentinelsMs,
        haproxyMs: agreed.haproxyMs,
        allAgreeMs: Math.max(agreed.sentinelsMs, agreed.haproxyMs),
        haproxyTwoUpMs: agreed.twoUpMs + twoUpAfterMs,
        newMaster: agreed.newMaster,
        ...(job?.result ? { jobTimings: { ...job.result.timings } } : {}),
      };
    } finally {
      await writer.stop().catch(() => undefined);
    }
  } finally {
    await release();
    spec.holding(undefined);
  }
}
