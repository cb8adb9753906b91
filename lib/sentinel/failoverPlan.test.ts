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
    downAfterMs: 2000,
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
    expect(plan.waitFor).toEqual(['127.0.0.3:6379', '127.0.0.2:6379']);
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

describe('planSentinelFailover: the zero-loss statement', () => {
  it('promises zero loss when the master can pause writers and every replica can catch up', () => {
    const plan = planSentinelFailover(snapshot());
    expect(plan.zeroLoss.guaranteed).toBe(true);
    expect(plan.zeroLoss.statement).toMatch(/No acknowledged write is lost/);
    expect(plan.zeroLoss.statement).toMatch(/READONLY/);
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
  it('bounds the pause by down-after and the failover timeout', () => {
    expect(failoverTimings([sentinel('a:1')])).toEqual({
      pauseSliceMs: 6000,
      pauseLimitMs: 10_000,
      catchUpMs: 2000,
      downAfterMs: 2000,
      failoverTimeoutMs: 10_000,
    });
    expect(failoverTimings([sentinel('a:1', { downAfterMs: 30_000, failoverTimeoutMs: 180_000 })]).pauseLimitMs).toBe(
      30_000,
    );
  });

  it('knows which versions have CLIENT PAUSE WRITE', () => {
    expect(hasPauseWrite('7.0.15')).toBe(true);
    expect(hasPauseWrite('6.2.0')).toBe(true);
    expect(hasPauseWrite('6.0.16')).toBe(false);
    expect(hasPauseWrite(undefined)).toBeUndefined();
  });
});
