// The simulator's replies read by the dashboard's own parsers (lib/redis), and its RESP request parser fed the way
// TCP delivers bytes: split anywhere, pipelined.
import { describe, expect, it } from 'vitest';
import { parseClusterInfo } from '../../lib/redis/clusterInfo';
import { parseClusterNodes } from '../../lib/redis/clusterNodes';
import { parseInfo } from '../../lib/redis/info';
import { ClusterViews } from './clusterText';
import { InfoViews } from './infoText';
import { RequestParser } from './resp';
import { SimTopology } from './topology';

function topology(masters: number, replicasPerMaster: number) {
  const t = new SimTopology({ masters, replicasPerMaster });
  for (const n of t.nodes) n.port = 30000 + n.index;
  return t;
}

const textOf = (parts: Buffer[]) => Buffer.concat(parts).toString();

describe('simulated CLUSTER NODES', () => {
  it('gives each node the same cluster with itself as myself, every slot covered once', () => {
    const t = topology(5, 2);
    const views = new ClusterViews(t);
    const now = Date.now();
    for (const self of t.nodes) {
      const lines = parseClusterNodes(textOf(views.nodes(self, now)));
      expect(lines).toHaveLength(15);
      expect(lines.filter((l) => l.myself).map((l) => l.id)).toEqual([self.id]);
      const covered = lines.flatMap((l) => l.slots).reduce((n, [a, b]) => n + b - a + 1, 0);
      expect(covered).toBe(16384);
      for (const l of lines.filter((x) => x.role === 'replica'))
        expect(lines.find((m) => m.id === l.masterId)?.configEpoch).toBe(l.configEpoch);
    }
  });

  it('marks a flagged node fail? then fail for the others; with a promotion the replica serves its slots', () => {
    const t = topology(3, 1);
    const views = new ClusterViews(t);
    const [master, observer] = [t.nodes[1], t.nodes[0]];
    if (!master || !observer) throw new Error('topology too small');
    const replica = t.replicasOf(master)[0];
    const line = (id: string) => parseClusterNodes(textOf(views.nodes(observer, Date.now()))).find((l) => l.id === id);
    t.flag(master.id, 'pfail', {});
    expect(line(master.id)?.flags).toContain('fail?');
    expect(parseClusterInfo(views.info(observer, Date.now())).cluster_state).toBe('ok');
    t.flag(master.id, 'fail', { promote: true });
    expect(line(master.id)).toMatchObject({ flags: ['master', 'fail'], slots: [], linkState: 'disconnected' });
    expect(line(replica?.id ?? '')).toMatchObject({ role: 'master', slots: [[5461, 10921]], configEpoch: 4 });
    expect(parseClusterInfo(views.info(observer, Date.now()))).toMatchObject({
      cluster_state: 'ok',
      cluster_current_epoch: 4,
    });
  });

  it('puts an open slot on the source and target own lines only', () => {
    const t = topology(3, 0);
    const views = new ClusterViews(t);
    const [a, b, c] = t.nodes;
    if (!a || !b || !c) throw new Error('topology too small');
    t.openSlot(7, a.id, b.id);
    const own = (n: typeof a) => parseClusterNodes(textOf(views.nodes(n, Date.now()))).find((l) => l.myself);
    expect(own(a)?.migrating).toEqual([{ slot: 7, to: b.id }]);
    expect(own(b)?.importing).toEqual([{ slot: 7, from: a.id }]);
    const seenByC = parseClusterNodes(textOf(views.nodes(c, Date.now())));
    expect(seenByC.flatMap((l) => [...l.migrating, ...l.importing])).toEqual([]);
  });
});

describe('simulated INFO', () => {
  it('is redis 7 sized, parses, and its replication section follows the topology', () => {
    const t = topology(2, 1);
    const info = new InfoViews(t, '7.0.15', 0);
    const [master] = t.nodes;
    const replica = t.nodes[2];
    if (!master || !replica) throw new Error('topology too small');
    const text = info.text(master, Date.now(), []);
    expect(text.length).toBeGreaterThan(4500);
    expect(text.length).toBeLessThan(7500);
    const parsed = parseInfo(text);
    expect(parsed.fields).toMatchObject({ role: 'master', connected_slaves: '1', redis_version: '7.0.15' });
    expect(parsed.replicas).toEqual([expect.objectContaining({ port: replica.port, state: 'online' })]);
    expect(parseInfo(info.text(replica, Date.now(), [])).fields).toMatchObject({
      role: 'slave',
      master_port: String(master.port),
      master_link_status: 'up',
    });
    expect(Object.keys(parseInfo(info.text(replica, Date.now(), ['replication'])).sections)).toEqual(['replication']);
    t.flag(master.id, 'fail', {});
    expect(parseInfo(info.text(replica, Date.now(), ['replication'])).fields.master_link_status).toBe('down');
  });
});

describe('RequestParser', () => {
  it('takes pipelined multibulk and inline commands split at any byte', () => {
    const wire = Buffer.from(
      '*2\r\n$7\r\nCLUSTER\r\n$5\r\nNODES\r\n*1\r\n$4\r\nINFO\r\nPING\r\n*3\r\n$4\r\nAUTH\r\n$1\r\nu\r\n$2\r\npw\r\n',
    );
    for (let cut = 0; cut < wire.length; cut++) {
      const parser = new RequestParser();
      const commands = [...parser.push(wire.subarray(0, cut)), ...parser.push(wire.subarray(cut))];
      expect(commands).toEqual([['CLUSTER', 'NODES'], ['INFO'], ['PING'], ['AUTH', 'u', 'pw']]);
    }
  });
});
