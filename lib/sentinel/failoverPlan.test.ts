import { describe, expect, it } from 'vitest';
import { failoverTimings, hasPauseWrite, planSentinelFailover } from './failoverPlan';
import type { SentinelDataNode, SentinelSnapshot, SentinelView } from './types';

function node(addr: string, over: Partial<SentinelDataNode> = {}): SentinelDataNode {
  return {
    addr,
    host: addr.split(':')[0] ?? addr,
    reachable: true,
    role: 'replica',
    masterAddr: '127.0.0.1:6379',
    linkUp: true,
    offset: 1000,
    lagBytes: 0,
    priority: 100,
    knownBySentinels: 3,
    sentinelFlags: ['slave'],
    version: '7.0.15',
    ...over,
  };
}

function sentinel(addr: string, over: Partial<SentinelView> = {}): SentinelView {
  return {
    addr,
    host: addr.split(':')[0] ?? addr,
    reachable: true,
    masterAddr: '127.0.0.1:6379',
    quorum: 2,
    downAfterMs: 5000,
    failoverTimeoutMs: 10_000,
    masterFlags: ['master'],
    ckquorum: { ok: true, message: 'OK 3 usable Sentinels. Quorum and failover authorization can be reached' },
    ...over,
  };
}

function snapshot(over: Partial<SentinelSnapshot> = {}): SentinelSnapshot {
  return {
    kind: 'sentinel',
    clusterId: 'sg',
    clusterName: 'orders-sentinel',
    masterName: 'mymaster',
    collectedAt: new Date(0).toISOString(),
    durationMs: 5,
    master: node('127.0.0.1:6379', { role: 'master', masterAddr: undefined, linkUp: undefined, priority: undefined }),
    replicas: [
      node('127.0.0.2:6379', { runId: 'bbbb', offset: 1000 }),
      node('127.0.0.3:6379', { runId: 'aaaa', offset: 1000 }),
    ],
    sentinels: [sentinel('127.0.0.1:26379'), sentinel('127.0.0.2:26379'), sentinel('127.0.0.3:26379')],
    agreement: { agreed: true, addrs: ['127.0.0.1:6379'], reachable: 3, total: 3 },
    ...over,
  };
}

const status = (plan: ReturnType<typeof planSentinelFailover>, name: string) =>
  plan.checks.find((c) => c.name === name)?.status;

describe('planSentinelFailover: the replica the sentinels would promote', () => {
  it('breaks a tie of priority and offset by the smallest run id', () => {
    const plan = planSentinelFailover(snapshot());
    expect(plan.replica?.addr).toBe('127.0.0.3:6379');
    expect(plan.replica?.why).toMatch(/smaller run id/);
    expect(plan.allowed).toBe(true);
    expect([...plan.waitFor].sort()).toEqual(['127.0.0.2:6379', '127.0.0.3:6379']);
  });

  it('prefers the lowest replica-priority over a larger offset', () => {
    const plan = planSentinelFailover(
      snapshot({
        replicas: [node('127.0.0.2:6379', { priority: 10, offset: 500 }), node('127.0.0.3:6379', { offset: 1000 })],
      }),
    );
    expect(plan.replica?.addr).toBe('127.0.0.2:6379');
    expect(plan.replica?.why).toMatch(/lower replica-priority/);
  });

  it('prefers the larger offset at equal priority, and shows the lag', () => {
    const plan = planSentinelFailover(
      snapshot({
        replicas: [
          node('127.0.0.2:6379', { offset: 900, lagBytes: 100, runId: 'aaaa' }),
          node('127.0.0.3:6379', { offset: 1000, runId: 'bbbb' }),
        ],
      }),
    );
    expect(plan.replica?.addr).toBe('127.0.0.3:6379');
    expect(plan.replica?.why).toMatch(/larger replication offset/);
    expect(plan.candidates[1]?.why).toMatch(/ranked 2/);
  });

  it('skips priority 0, s_down and disconnected replicas, saying why; none left fails the check', () => {
    const plan = planSentinelFailover(
      snapshot({
        replicas: [
          node('127.0.0.2:6379', { priority: 0 }),
          node('127.0.0.3:6379', { sentinelFlags: ['slave', 's_down'] }),
          node('127.0.0.4:6379', { sentinelFlags: ['slave', 'disconnected'] }),
          node('127.0.0.5:6379', { masterLinkDownMs: 60_000 }),
        ],
      }),
    );
    expect(plan.replica).toBeNull();
    expect(plan.allowed).toBe(false);
    expect(status(plan, 'a replica the sentinels can promote')).toBe('fail');
    expect(plan.candidates.map((c) => c.why)).toEqual([
      'skipped: replica-priority 0 (never promoted)',
      'skipped: flagged s_down by the sentinels',
      'skipped: flagged disconnected by the sentinels',
      'skipped: link to the master down for 60 s (over 10 x down-after-milliseconds)',
    ]);
  });
});

describe('planSentinelFailover: pre-checks', () => {
  it('refuses when quorum is lost, naming the check', () => {
    const down = { reachable: false, masterAddr: null, ckquorum: undefined };
    const plan = planSentinelFailover(
      snapshot({
        sentinels: [
          sentinel('127.0.0.1:26379', {
            ckquorum: { ok: false, message: 'NOQUORUM 1 usable Sentinels. Not enough available Sentinels' },
          }),
          sentinel('127.0.0.2:26379', down),
          sentinel('127.0.0.3:26379', down),
        ],
        agreement: { agreed: true, addrs: ['127.0.0.1:6379'], reachable: 1, total: 3 },
      }),
    );
    expect(plan.allowed).toBe(false);
    expect(status(plan, 'sentinels reachable')).toBe('fail');
    expect(status(plan, 'quorum (CKQUORUM)')).toBe('fail');
    expect(plan.checks.find((c) => c.name === 'quorum (CKQUORUM)')?.detail).toMatch(/NOQUORUM/);
  });

  it('refuses while the sentinels disagree or a failover is in progress', () => {
    const plan = planSentinelFailover(
      snapshot({
        agreement: { agreed: false, addrs: ['127.0.0.1:6379', '127.0.0.2:6379'], reachable: 3, total: 3 },
        sentinels: [
          sentinel('127.0.0.1:26379', { masterFlags: ['master', 'failover_in_progress'] }),
          sentinel('127.0.0.2:26379'),
          sentinel('127.0.0.3:26379'),
        ],
      }),
    );
    expect(status(plan, 'sentinels agree on the master')).toBe('fail');
    expect(status(plan, 'no failover in progress')).toBe('fail');
    expect(plan.allowed).toBe(false);
  });
});

describe('planSentinelFailover: the replicas waited for (a superset of what Sentinel may pick)', () => {
  it('waits for every replica with priority not 0: unknown to the sentinels, flagged by one, or elsewhere', () => {
    const plan = planSentinelFailover(
      snapshot({
        replicas: [
          node('127.0.0.2:6379', { sentinelFlags: ['slave', 's_down'] }),
          node('127.0.0.3:6379', { knownBySentinels: 0, priority: undefined }),
          node('127.0.0.4:6379', { masterAddr: 'redis-a.example:6379' }),
          node('127.0.0.5:6379', { priority: 0 }),
        ],
      }),
    );
    expect(plan.waitFor).toEqual(['127.0.0.2:6379', '127.0.0.3:6379', '127.0.0.4:6379']);
    // A replica naming its master by hostname is not Sentinel's reason to skip it.
    expect(plan.replica?.addr).toBe('127.0.0.4:6379');
    expect(plan.zeroLoss.guaranteed).toBe(true);
  });

  it('says zero loss is not guaranteed when a replica Sentinel may promote does not answer here', () => {
    const plan = planSentinelFailover(
      snapshot({ replicas: [node('127.0.0.2:6379'), node('127.0.0.3:6379', { reachable: false, role: null })] }),
    );
    expect(plan.waitFor).toEqual(['127.0.0.2:6379']);
    expect(plan.zeroLoss.guaranteed).toBe(false);
    expect(plan.zeroLoss.statement).toMatch(
      /127\.0\.0\.3:6379 may be promoted by the sentinels but does not answer here/,
    );
  });

  it('skips a replica the sentinels never had INFO from (info-refresh 0), as Sentinel does', () => {
    const plan = planSentinelFailover(
      snapshot({
        replicas: [node('127.0.0.2:6379', { infoRefreshMs: 0 }), node('127.0.0.3:6379', { infoRefreshMs: 800 })],
      }),
    );
    expect(plan.replica?.addr).toBe('127.0.0.3:6379');
    expect(plan.candidates.find((c) => c.addr === '127.0.0.2:6379')?.why).toMatch(/never had INFO/);
  });
});

describe('planSentinelFailover: the zero-loss statement', () => {
  it('promises zero loss when the master can pause writers and every replica can catch up', () => {
    const plan = planSentinelFailover(snapshot());
    expect(plan.zeroLoss.guaranteed).toBe(true);
    expect(plan.zeroLoss.statement).toMatch(/No acknowledged write is lost/);
    expect(plan.zeroLoss.statement).toMatch(/READONLY/);
    expect(plan.zeroLoss.statement).toMatch(/looks like an outage to the sentinels/);
    expect(plan.pauseWrites).toBe(true);
  });

  it('refuses the promise when replica-read-only is no or could not be read', () => {
    const no = planSentinelFailover(snapshot(), { replicaReadOnly: 'no' });
    expect(no.zeroLoss.guaranteed).toBe(false);
    expect(no.zeroLoss.statement).toMatch(/replica-read-only is no/);
    expect(no.pauseWrites).toBe(true);
    expect(status(no, 'replica-read-only on the master')).toBe('warn');
    const unread = planSentinelFailover(snapshot(), { replicaReadOnly: null });
    expect(unread.zeroLoss.guaranteed).toBe(false);
    expect(unread.zeroLoss.statement).toMatch(/replica-read-only could not be read/);
    expect(planSentinelFailover(snapshot(), { replicaReadOnly: 'yes' }).zeroLoss.guaranteed).toBe(true);
  });

  it('names a sentinel in TILT and sends SENTINEL FAILOVER to another', () => {
    const plan = planSentinelFailover(snapshot(), { tilted: ['127.0.0.1:26379'] });
    expect(status(plan, 'no sentinel in TILT')).toBe('warn');
    expect(plan.sentinels[0]).not.toBe('127.0.0.1:26379');
    expect(plan.sentinels.at(-1)).toBe('127.0.0.1:26379');
  });

  it('says plainly when the master is unreachable', () => {
    const master = node('127.0.0.1:6379', { reachable: false, role: null, error: 'connection refused' });
    const plan = planSentinelFailover(snapshot({ master }));
    expect(plan.zeroLoss.guaranteed).toBe(false);
    expect(plan.zeroLoss.statement).toMatch(/^Zero loss cannot be guaranteed: the master does not answer/);
    expect(plan.allowed).toBe(true);
  });

  it('says so for Redis before 6.2 and for a disabled CLIENT command', () => {
    const old = planSentinelFailover(
      snapshot({ master: node('127.0.0.1:6379', { role: 'master', version: '6.0.16' }) }),
    );
    expect(old.zeroLoss.guaranteed).toBe(false);
    expect(old.checks.find((c) => c.name === 'CLIENT PAUSE WRITE available')?.detail).toMatch(/before 6.2/);
    const renamed = planSentinelFailover(snapshot(), { clientDisabled: true });
    expect(renamed.zeroLoss.guaranteed).toBe(false);
  });

  it('warns that a promotable replica with its link down stops the job before any change', () => {
    const plan = planSentinelFailover(
      snapshot({
        replicas: [node('127.0.0.2:6379'), node('127.0.0.3:6379', { linkUp: false, masterLinkDownMs: 3000 })],
      }),
    );
    expect(status(plan, 'every promotable replica can catch up')).toBe('warn');
    expect(plan.zeroLoss.statement).toMatch(/127\.0\.0\.3:6379 cannot catch up/);
  });
});

describe('timings and versions', () => {
  it('keeps each pause slice within half of down-after and the whole pause below down-after (the smallest)', () => {
    expect(failoverTimings([sentinel('a:1'), sentinel('b:1', { downAfterMs: 30_000 })])).toEqual({
      pauseSliceMs: 2500,
      pauseLimitMs: 3000,
      catchUpMs: 3000,
      downAfterMs: 5000,
      failoverTimeoutMs: 10_000,
    });
    const long = failoverTimings([sentinel('a:1', { downAfterMs: 60_000, failoverTimeoutMs: 180_000 })]);
    expect(long.pauseSliceMs).toBe(15_000);
    expect(long.pauseLimitMs).toBe(30_000);
  });

  it('says zero loss is not guaranteed, and does not pause, when down-after leaves no room for the pause', () => {
    const sentinels = ['127.0.0.1', '127.0.0.2', '127.0.0.3'].map((h) => sentinel(`${h}:26379`, { downAfterMs: 2000 }));
    const plan = planSentinelFailover(snapshot({ sentinels }));
    expect(plan.allowed).toBe(true);
    expect(plan.pauseWrites).toBe(false);
    expect(plan.zeroLoss.guaranteed).toBe(false);
    expect(plan.zeroLoss.statement).toMatch(/down-after-milliseconds is 2000 ms: a paused master looks down/);
    expect(status(plan, 'pause fits within down-after-milliseconds')).toBe('warn');
  });

  it('knows which versions have CLIENT PAUSE WRITE', () => {
    expect(hasPauseWrite('7.0.15')).toBe(true);
    expect(hasPauseWrite('6.2.0')).toBe(true);
    expect(hasPauseWrite('6.0.16')).toBe(false);
    expect(hasPauseWrite(undefined)).toBeUndefined();
  });
});

describe('planSentinelFailover: the sentinels already judging the master (T2#3)', () => {
  const judged = (flag: string, on: number) =>
    snapshot({
      sentinels: [0, 1, 2].map((i) =>
        sentinel(`127.0.0.${i + 1}:26379`, { masterFlags: i < on ? ['master', flag] : ['master'] }),
      ),
    });
  const CHECK = 'the sentinels do not judge the master down';

  it('passes when no sentinel flags the master', () => {
    expect(status(planSentinelFailover(snapshot()), CHECK)).toBe('pass');
  });

  it('warns on s_down, saying the sentinels may fail over on their own and that waiting is the safe move', () => {
    const plan = planSentinelFailover(judged('s_down', 1));
    expect(status(plan, CHECK)).toBe('warn');
    expect(plan.checks.find((c) => c.name === CHECK)?.detail).toMatch(/fail over on their own .*Waiting/);
  });

  it('fails on o_down: the sentinels are starting their own failover', () => {
    const plan = planSentinelFailover(judged('o_down', 2));
    expect(status(plan, CHECK)).toBe('fail');
    expect(plan.allowed).toBe(false);
  });
});
