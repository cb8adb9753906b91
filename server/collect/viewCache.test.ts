import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '@/lib/cluster/buildSnapshot';
import type { NodeReport } from '@/lib/cluster/types';
import { parseClusterInfo } from '@/lib/redis/clusterInfo';
import { type ClusterNodeLine, parseClusterNodes } from '@/lib/redis/clusterNodes';
import { parseInfo } from '@/lib/redis/info';
import { ViewCache, viewKey } from './viewCache';

const fixture = (name: string) => readFileSync(new URL(`../../lib/redis/fixtures/${name}`, import.meta.url), 'utf8');
const view = fixture('cluster-nodes-7.0.txt');
const ADDR = '127.0.0.3:19398';
const MASTER = '7b5a3dec0c0b8a975a423d4898786b20a46872d1';
const REPLICA = '81c5649a3a2e7d508d506c92cca3bd1aaeb5ed94';

/** The view with one line's fields replaced (index -> new text), as a node would send it at a later poll. */
function edit(text: string, id: string, changes: Record<number, string>): string {
  return text
    .split('\n')
    .map((line) => {
      if (!line.startsWith(id)) return line;
      const fields = line.split(' ');
      for (const [index, value] of Object.entries(changes)) fields[Number(index)] = value;
      return fields.join(' ');
    })
    .join('\n');
}

const withoutTimes = ({ pingSentMs: _ping, pongRecvMs: _pong, ...rest }: ClusterNodeLine) => rest;

/** Every line's ping-sent and pong-recv moved on, nothing else: a steady poll. */
const later = (text: string, ms: number) =>
  text
    .split('\n')
    .map((line) =>
      line.replace(
        /^(\S+ \S+ \S+ \S+) (\d+) (\d+)/,
        (_, head, ping, pong) => `${head} ${ping === '0' ? 0 : Number(ping) + ms} ${Number(pong) + ms}`,
      ),
    )
    .join('\n');

describe('CLUSTER NODES change detection', () => {
  it('does not parse a view again when only ping-sent / pong-recv moved', () => {
    const cache = new ViewCache();
    const first = cache.read(ADDR, view);
    const second = cache.read(ADDR, later(view, 1000));
    expect(second.reused).toBe(true);
    expect(second.lines).toBe(first.lines);
    // ping-sent going from 0 to a timestamp (a ping in flight) changes the text's length, not the view.
    expect(cache.read(ADDR, edit(view, MASTER, { 4: '1795302366123' })).reused).toBe(true);
  });

  it.each([
    ['a flag (fail? -> fail)', edit(view, MASTER, { 2: 'master,fail' })],
    ['a PFAIL flag', edit(view, MASTER, { 2: 'master,fail?' })],
    ['a config epoch of the same width', edit(view, MASTER, { 6: '7' })],
    ['a slot range end', edit(view, MASTER, { 8: '5461-10920' })],
    ['an open slot', edit(view, MASTER, { 9: '[5461->-f7790190fd6130b01605ac82415340231a4d2b21]' })],
    ['a link state', edit(view, MASTER, { 7: 'disconnected' })],
    ['a replica following another master', edit(view, REPLICA, { 3: MASTER })],
    ['an address', edit(view, MASTER, { 1: '127.0.0.2:13191@23191' })],
    ['a member leaving', view.split('\n').slice(1).join('\n')],
  ])('parses the view again when %s changed', (_, changed) => {
    const cache = new ViewCache();
    cache.read(ADDR, view);
    const read = cache.read(ADDR, later(changed, 500));
    expect(read.reused).toBe(false);
    const parsed = parseClusterNodes(later(changed, 500));
    expect(read.lines.map(withoutTimes)).toEqual(parsed.map(withoutTimes));
    expect(read.freshLines()).toEqual(parsed);
  });

  it('shares a line between views while its text (times left out) is the same, and only then', () => {
    const cache = new ViewCache();
    const fromMaster = cache.read(ADDR, view).lines;
    // The same cluster seen from the replica: every line but the two myself lines is the same.
    const replicaView = later(
      edit(edit(view, REPLICA, { 2: 'myself,slave' }), '895eaf00a2b5426dd85cd8631c409a557e5920b2', { 2: 'master' }),
      300,
    );
    const fromReplica = cache.read('127.0.0.1:20428', replicaView).lines;
    const line = (lines: typeof fromMaster, id: string) => lines.find((l) => l.id === id);
    expect(line(fromReplica, MASTER)).toBe(line(fromMaster, MASTER));
    expect(line(fromReplica, REPLICA)).not.toBe(line(fromMaster, REPLICA));
    expect(line(fromReplica, REPLICA)?.myself).toBe(true);
    expect(line(fromMaster, REPLICA)?.myself).toBe(false);
    // The replica now flags the master fail: its line is a new one; the master's own view is untouched.
    const failed = cache.read('127.0.0.1:20428', edit(replicaView, MASTER, { 2: 'master,fail' })).lines;
    expect(line(failed, MASTER)?.flags).toContain('fail');
    expect(line(fromMaster, MASTER)?.flags).not.toContain('fail');
    expect(line(cache.read(ADDR, later(view, 900)).lines, MASTER)?.flags).not.toContain('fail');
  });

  it('keeps one view per node address', () => {
    const cache = new ViewCache();
    cache.read(ADDR, view);
    expect(cache.read('127.0.0.1:14323', later(view, 10)).reused).toBe(false);
    cache.forget(ADDR);
    expect(cache.read(ADDR, later(view, 20)).reused).toBe(false);
  });

  it('strips exactly the ping-sent and pong-recv fields', () => {
    expect(viewKey(`${MASTER} 127.0.0.2:13190@23190 master - 0 1795302364000 2 connected 5461-10921\n`)).toBe(
      `${MASTER} 127.0.0.2:13190@23190 master - 2 connected 5461-10921\n`,
    );
  });

  it('a snapshot built from reused views equals one built from fresh parses, ping/pong times included', () => {
    const cache = new ViewCache();
    const info = parseInfo(fixture('info-master-7.0.txt'));
    const clusterInfo = parseClusterInfo(fixture('cluster-info-7.0.txt'));
    const report = (text: string): NodeReport => {
      const read = cache.read(ADDR, text);
      return {
        addr: ADDR,
        ok: true,
        rttMs: 1,
        nodes: read.lines,
        info,
        clusterInfo,
        freshLines: read.freshLines,
      };
    };
    const input = { clusterId: 'c', clusterName: 'C', collectedAt: new Date(0), pollDurationMs: 1 };
    buildSnapshot({ ...input, reports: [report(view)], connectAddr: (a) => a });
    const text = later(view, 7000);
    const snapshot = buildSnapshot({ ...input, reports: [report(text)], connectAddr: (a) => a });
    const fresh = buildSnapshot({
      ...input,
      reports: [{ addr: ADDR, ok: true, rttMs: 1, nodes: parseClusterNodes(text), info, clusterInfo }],
      connectAddr: (a) => a,
    });
    expect(snapshot).toEqual(fresh);
    expect(snapshot.nodes.find((n) => n.id === MASTER)?.pongRecvMs).toBe(1795302364000 + 7000);
  });
});
