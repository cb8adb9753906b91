import { describe, expect, it } from 'vitest';
import { sentinelFindings } from './findings';
import { healthySentinel, SENTINELS } from './snapshotFixture';
import type { SentinelSnapshot, SentinelView } from './types';

const codes = (s: SentinelSnapshot) => sentinelFindings(s).map((f) => `${f.severity}:${f.code}`);
const NOQUORUM =
  'NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master. Not enough available Sentinels to reach the majority and authorize a failover';

/** The healthy fixture with the i-th sentinel's view changed. */
function withSentinel(i: number, change: Partial<SentinelView>): SentinelSnapshot {
  const s = healthySentinel();
  const view = s.sentinels[i];
  if (!view) throw new Error('fixture');
  s.sentinels[i] = { ...view, ...change };
  return s;
}

describe('quorum findings: from what the sentinels say', () => {
  it('one partitioned sentinel says NOQUORUM while the other two pass: a warning naming it, not critical', () => {
    const s = withSentinel(2, { ckquorum: { ok: false, message: NOQUORUM } });
    expect(codes(s)).toEqual(['warning:sentinel_cut_off']);
    const f = sentinelFindings(s)[0];
    expect(f?.nodeIds).toEqual([SENTINELS[2]]);
    expect(f?.message).toContain(`${SENTINELS[2]} is cut off from its peers`);
  });

  it('two of three say NOQUORUM: critical, naming both', () => {
    let s = withSentinel(1, { ckquorum: { ok: false, message: NOQUORUM } });
    const third = s.sentinels[2];
    if (!third) throw new Error('fixture');
    s = { ...s, sentinels: [...s.sentinels.slice(0, 2), { ...third, ckquorum: { ok: false, message: NOQUORUM } }] };
    const f = sentinelFindings(s).find((x) => x.code === 'sentinel_quorum');
    expect(f?.severity).toBe('critical');
    expect(f?.nodeIds).toEqual([SENTINELS[1], SENTINELS[2]]);
    expect(f?.message).toContain(`passes only on ${SENTINELS[0]}`);
  });

  it('a sentinel that does not monitor the master ("ERR No such master"): sentinel_not_monitoring, not the quorum', () => {
    const s = withSentinel(2, {
      masterAddr: null,
      ckquorum: { ok: false, message: 'ERR No such master with that name' },
    });
    expect(codes(s)).toEqual(['warning:sentinel_not_monitoring']);
  });

  it('CKQUORUM refused (NOPERM, unknown command): "unchecked" info, never critical', () => {
    const noperm = withSentinel(0, {
      ckquorum: { ok: false, message: "NOPERM this user has no permissions to run the 'sentinel|ckquorum' command" },
    });
    expect(codes(noperm)).toEqual(['info:sentinel_quorum_unchecked']);
    const all = healthySentinel();
    all.sentinels = all.sentinels.map((v) => ({
      ...v,
      ckquorum: { ok: false, message: "ERR unknown subcommand 'CKQUORUM'. Try SENTINEL HELP." },
    }));
    expect(codes(all)).toEqual(['info:sentinel_quorum_unchecked']);
    expect(sentinelFindings(all)[0]?.nodeIds).toEqual([...SENTINELS]);
  });

  it('the majority counts the voters the sentinels know, not only those configured here', () => {
    const s = withSentinel(2, {});
    s.sentinels = s.sentinels.map((v, i) =>
      i === 2
        ? { addr: v.addr, host: v.host, reachable: false, error: 'connect ECONNREFUSED', masterAddr: null }
        : { ...v, sentinelsKnown: 5, ckquorum: undefined },
    );
    s.agreement = { ...s.agreement, reachable: 2 };
    const f = sentinelFindings(s).find((x) => x.code === 'sentinel_quorum');
    expect(f?.severity).toBe('critical');
    expect(f?.message).toContain('the sentinels know 5');
    expect(f?.message).toContain('majority 3');
  });
});
