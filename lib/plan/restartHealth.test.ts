import { describe, expect, it } from 'vitest';
import { parseClusterNodes } from '../redis/clusterNodes';
import { type NodeProbe, restartHealth } from './restartHealth';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const A1 = 'c'.repeat(40);
const B1 = 'd'.repeat(40);

/** One cluster's CLUSTER NODES text, as seen by `self`, with extra flags on some nodes. */
function view(self: string, flags: Record<string, string> = {}, slots: Record<string, string> = {}) {
  const line = (id: string, port: number, role: string, master: string, own: string) =>
    `${id} 127.0.0.1:${port}@${port + 10000} ${id === self ? 'myself,' : ''}${role}${flags[id] ? `,${flags[id]}` : ''} ${master} 0 0 1 connected ${slots[id] ?? own}`.trim();
  return parseClusterNodes(
    [
      line(A, 7001, 'master', '-', '0-8191'),
      line(B, 7002, 'master', '-', '8192-16383'),
      line(A1, 7003, 'slave', A, ''),
      line(B1, 7004, 'slave', B, ''),
    ].join('\n'),
  );
}

const probes = (
  flags: Record<string, string> = {},
  over: Partial<Record<string, Partial<NodeProbe>>> = {},
): NodeProbe[] =>
  [
    [A, 7001],
    [B, 7002],
    [A1, 7003],
    [B1, 7004],
  ].map(([id, port]) => ({
    id: String(id),
    addr: `127.0.0.1:${port}`,
    answered: true,
    clusterState: 'ok',
    view: view(String(id), flags),
    ...(id === A1 || id === B1 ? { linkStatus: 'up' } : {}),
    ...over[String(id)],
  }));

describe('restartHealth', () => {
  it('is healthy when every node answers, agrees and links are up', () => {
    expect(restartHealth(probes())).toMatchObject({ ok: true, problems: [] });
  });

  it('leaves the restarting node out: not answering, flagged FAIL, link down are expected', () => {
    const down = probes({ [A1]: 'fail' }, { [A1]: { answered: false, view: undefined, linkStatus: 'down' } });
    expect(restartHealth(down, { restarting: A1 }).ok).toBe(true);
    expect(restartHealth(down).problems.map((p) => p.fatal)).toContain(true);
  });

  it('a FAIL on another node is fatal; PFAIL, a link down, cluster_state:fail are not (yet)', () => {
    const failing = restartHealth(probes({ [B1]: 'fail' }), { restarting: A1 });
    expect(failing.problems).toContainEqual({
      text: '127.0.0.1:7004 is flagged FAIL by 127.0.0.1:7001, 127.0.0.1:7002',
      fatal: true,
    });
    const soft = restartHealth(
      probes({ [B1]: 'fail?' }, { [B1]: { linkStatus: 'down' }, [B]: { clusterState: 'fail' } }),
    );
    expect(soft.ok).toBe(false);
    expect(soft.problems.every((p) => !p.fatal)).toBe(true);
    expect(soft.summary).toMatch(/PFAIL.*cluster_state:fail.*master_link_status:down/);
  });

  it('counts slots not covered, except while a lone master restarts', () => {
    const lost = probes({ [B]: 'fail' }, { [B]: { answered: false, view: undefined } });
    expect(restartHealth(lost, { restarting: B, slotsMayBeDown: true }).ok).toBe(true);
    const uncovered = restartHealth(probes().map((p) => ({ ...p, view: view(p.id, {}, { [B]: '8192-9000' }) })));
    expect(uncovered.problems).toContainEqual({ text: '7383 slots not covered (by 127.0.0.1:7001)', fatal: false });
  });
});
