import { describe, expect, it } from 'vitest';
import { sentinelPick } from './sentinelPick';

const replica = (ip: string, over: Record<string, string> = {}) => ({
  ip,
  port: '6379',
  flags: 'slave',
  'last-ok-ping-reply': '300',
  'info-refresh': '2000',
  'master-link-down-time': '0',
  'slave-priority': '100',
  'slave-repl-offset': '1000',
  'run-id': 'aaaa',
  ...over,
});
const master = (over: Record<string, string> = {}) => ({ flags: 'master', 'down-after-milliseconds': '5000', ...over });

describe('sentinelPick: the replica one sentinel promotes, from its own records', () => {
  it("ranks on the sentinel's own slave-repl-offset, then the run id", () => {
    const pick = sentinelPick(master(), [
      replica('10.0.0.2', { 'slave-repl-offset': '900' }),
      replica('10.0.0.3', { 'run-id': 'bbbb' }),
      replica('10.0.0.4', { 'run-id': 'AAAB' }),
    ]);
    expect(pick.addr).toBe('10.0.0.4:6379');
  });

  it('skips never-refreshed and flagged replicas; extends the link-down limit by s-down-time', () => {
    expect(sentinelPick(master(), [replica('10.0.0.2', { 'info-refresh': '0' })]).addr).toBeNull();
    expect(sentinelPick(master(), [replica('10.0.0.2', { flags: 'slave,s_down' })]).why).toMatch(/flagged/);
    const longDown = replica('10.0.0.2', { 'master-link-down-time': '60000' });
    expect(sentinelPick(master(), [longDown]).addr).toBeNull();
    const sdown = master({ flags: 'master,s_down', 's-down-time': '20000' });
    expect(sentinelPick(sdown, [{ ...longDown, 'info-refresh': '1000' }]).addr).toBe('10.0.0.2:6379');
  });

  it('names IPv6 replicas in brackets', () => {
    expect(sentinelPick(master(), [replica('::1')]).addr).toBe('[::1]:6379');
  });
});
