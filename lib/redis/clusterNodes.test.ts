import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseClusterNodeLine, parseClusterNodes } from './clusterNodes';
import { ReplyParseError } from './errors';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('parseClusterNodes on replies from redis 7.0.15', () => {
  it('reads a 3-master/3-replica cluster', () => {
    const nodes = parseClusterNodes(fixture('cluster-nodes-7.0.txt'));
    expect(nodes).toHaveLength(6);
    expect(nodes.filter((n) => n.role === 'master')).toHaveLength(3);
    const myself = nodes.find((n) => n.myself);
    expect(myself).toMatchObject({
      host: '127.0.0.3',
      port: 19398,
      busPort: 29398,
      role: 'master',
      slots: [[10922, 16383]],
    });
    const replica = nodes.find((n) => n.id.startsWith('ecaba80e'));
    expect(replica).toMatchObject({ role: 'replica', masterId: '7b5a3dec0c0b8a975a423d4898786b20a46872d1', slots: [] });
    expect(nodes.reduce((sum, n) => sum + n.slots.reduce((s, [a, b]) => s + b - a + 1, 0), 0)).toBe(16384);
  });

  it('reads the migrating marker on the source and the importing marker on the target', () => {
    const source = parseClusterNodes(fixture('cluster-nodes-migrating-7.0.txt')).find((n) => n.myself);
    expect(source?.migrating).toEqual([{ slot: 0, to: '7b5a3dec0c0b8a975a423d4898786b20a46872d1' }]);
    expect(source?.slots).toEqual([[0, 5460]]);
    const target = parseClusterNodes(fixture('cluster-nodes-importing-7.0.txt')).find((n) => n.myself);
    expect(target?.importing).toEqual([{ slot: 0, from: 'f7790190fd6130b01605ac82415340231a4d2b21' }]);
  });
});

describe('parseClusterNodeLine edge cases', () => {
  it('reads every flag, pfail and fail', () => {
    const n = parseClusterNodeLine(
      `${A} 10.0.0.1:6379@16379 master,fail?,nofailover - 1700000000000 0 7 disconnected 0-10 12`,
    );
    expect(n.flags).toEqual(['master', 'fail?', 'nofailover']);
    expect(n.linkState).toBe('disconnected');
    expect(n.slots).toEqual([
      [0, 10],
      [12, 12],
    ]);
    expect(n.pingSentMs).toBe(1700000000000);
  });

  it('reads a noaddr node', () => {
    const n = parseClusterNodeLine(`${A} :0@0 master,fail,noaddr - 0 0 3 disconnected`);
    expect(n).toMatchObject({ host: '', port: 0, busPort: 0, flags: ['master', 'fail', 'noaddr'] });
  });

  it('reads hostname and 7.2 auxiliary fields', () => {
    const n = parseClusterNodeLine(`${A} 10.0.0.1:6379@16379,redis-0.example,shard-id=${B} slave ${B} 0 0 1 connected`);
    expect(n).toMatchObject({
      host: '10.0.0.1',
      hostname: 'redis-0.example',
      aux: { 'shard-id': B },
      role: 'replica',
      masterId: B,
    });
    expect(parseClusterNodeLine(`${A} 10.0.0.1:6379@16379, master - 0 0 1 connected`).hostname).toBeUndefined();
  });

  it('reads an IPv6 address', () => {
    expect(parseClusterNodeLine(`${A} ::1:7000@17000 master - 0 0 1 connected`)).toMatchObject({
      host: '::1',
      port: 7000,
    });
  });

  it('reads handshake and noflags', () => {
    expect(parseClusterNodeLine(`${A} 1.2.3.4:1@2 handshake - 0 0 0 disconnected`).role).toBe('unknown');
    expect(parseClusterNodeLine(`${A} 1.2.3.4:1@2 noflags - 0 0 0 connected`).flags).toEqual([]);
  });

  it.each([
    ['too few fields', `${A} 1.2.3.4:1@2 master -`],
    ['a short id', `abc 1.2.3.4:1@2 master - 0 0 1 connected`],
    ['a bad master id', `${A} 1.2.3.4:1@2 slave xyz 0 0 1 connected`],
    ['a slot past 16383', `${A} 1.2.3.4:1@2 master - 0 0 1 connected 0-16384`],
    ['a backwards range', `${A} 1.2.3.4:1@2 master - 0 0 1 connected 10-5`],
    ['a text epoch', `${A} 1.2.3.4:1@2 master - 0 0 x connected`],
    ['a bad link state', `${A} 1.2.3.4:1@2 master - 0 0 1 maybe`],
    ['an address without port', `${A} 1.2.3.4 master - 0 0 1 connected`],
    ['garbage slot field', `${A} 1.2.3.4:1@2 master - 0 0 1 connected <script>`],
    ['a malformed marker', `${A} 1.2.3.4:1@2 master - 0 0 1 connected [5->-zz]`],
  ])('refuses %s', (_what, line) => {
    expect(() => parseClusterNodeLine(line)).toThrow(ReplyParseError);
  });

  it('refuses an empty reply and two myself lines', () => {
    expect(() => parseClusterNodes('\n')).toThrow(/empty/);
    expect(() =>
      parseClusterNodes(
        `${A} 1.2.3.4:1@2 myself,master - 0 0 1 connected\n${B} 1.2.3.4:2@3 myself,master - 0 0 1 connected`,
      ),
    ).toThrow(/myself/);
  });

  it('names the line that is wrong', () => {
    expect(() => parseClusterNodes(`${A} 1.2.3.4:1@2 master - 0 0 1 connected\nnonsense`)).toThrow(/line 2/);
  });
});
