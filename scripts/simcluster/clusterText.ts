// CLUSTER NODES / INFO / SLOTS / SHARDS / LINKS / REPLICAS as each simulated node answers them. Every node sees the
// same gossip (one shared text, rebuilt at most once a second or when the topology changed); only its own `myself`
// line differs, and only that line carries its MIGRATING / IMPORTING slots, as in cluster.c.

import type { SimFlag } from './protocol';
import type { Value } from './resp';
import { busPortOf, type SimNode, type SimTopology } from './topology';

function rangesText(node: SimNode): string {
  let out = '';
  for (const [a, b] of node.slots) out += a === b ? ` ${a}` : ` ${a}-${b}`;
  return out;
}

const addrOf = (n: SimNode) => `${n.host}:${n.port}@${busPortOf(n.port)}`;

interface ClusterCounts {
  assigned: number;
  ok: number;
  pfail: number;
  fail: number;
  size: number;
}

export class ClusterViews {
  private text: Buffer = Buffer.alloc(0);
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private builtSecond = -1;
  private builtGeneration = -1;
  private countsGeneration = -1;
  private counts: ClusterCounts = { assigned: 0, ok: 0, pfail: 0, fail: 0, size: 0 };
  private readonly isolated = new Map<number, { second: number; generation: number; text: Buffer }>();

  constructor(private readonly topology: SimTopology) {}

  /** How node `n` appears in another node's CLUSTER NODES at `now`. */
  private peerLine(n: SimNode, now: number, failure: SimFlag = n.failure): string {
    const failed = failure !== 'ok' || n.down;
    const flags = `${n.role === 'master' ? 'master' : 'slave'}${failure === 'pfail' ? ',fail?' : failure === 'fail' ? ',fail' : ''}`;
    const halfTimeout = Math.max(1000, Math.floor(this.topology.nodeTimeoutMs / 2));
    const heard = failed ? n.failedAt || now : now - ((now + n.phase) % halfTimeout);
    // Pongs learned through gossip carry whole seconds; those received directly, milliseconds.
    const pong = n.index % 2 === 0 ? Math.floor(heard / 1000) * 1000 : heard;
    const pingSent = failed ? n.failedAt || now : 0;
    return `${n.id} ${addrOf(n)} ${flags} ${n.masterId ?? '-'} ${pingSent} ${pong} ${this.topology.epochOf(n)} ${failed ? 'disconnected' : 'connected'}${rangesText(n)}\n`;
  }

  private myselfLine(n: SimNode, now: number): string {
    let open = '';
    for (const [slot, move] of this.topology.openSlots) {
      if (move.from === n.id) open += ` [${slot}->-${move.to}]`;
      if (move.to === n.id) open += ` [${slot}-<-${move.from}]`;
    }
    const role = n.role === 'master' ? 'master' : 'slave';
    return `${n.id} ${addrOf(n)} myself,${role} ${n.masterId ?? '-'} 0 ${Math.floor(now / 1000) * 1000} ${this.topology.epochOf(n)} connected${rangesText(n)}${open}\n`;
  }

  private refresh(now: number) {
    const second = Math.floor(now / 1000);
    if (second === this.builtSecond && this.topology.generation === this.builtGeneration) return;
    const parts: string[] = [];
    let at = 0;
    for (const n of this.topology.nodes) {
      const line = this.peerLine(n, now);
      const length = Buffer.byteLength(line);
      this.offsets[n.index] = at;
      this.lengths[n.index] = length;
      at += length;
      parts.push(line);
    }
    this.text = Buffer.from(parts.join(''));
    this.builtSecond = second;
    this.builtGeneration = this.topology.generation;
  }

  /**
   * A node the others flag PFAIL/FAIL is taken as cut off from them: from its side every other node is PFAIL (and the
   * ones already FAIL stay so), as on the minority side of a partition. Built per such node, at most once a second.
   */
  private isolatedText(self: SimNode, now: number): Buffer {
    const second = Math.floor(now / 1000);
    const cached = this.isolated.get(self.index);
    if (cached && cached.second === second && cached.generation === this.topology.generation) return cached.text;
    const since = self.failedAt || now;
    let text = '';
    for (const n of this.topology.nodes) {
      if (n === self) {
        text += this.myselfLine(n, now);
        continue;
      }
      const role = n.role === 'master' ? 'master' : 'slave';
      const pong = Math.min(since, n.failedAt || since);
      text += `${n.id} ${addrOf(n)} ${role},${n.failure === 'fail' ? 'fail' : 'fail?'} ${n.masterId ?? '-'} ${since} ${pong} ${this.topology.epochOf(n)} disconnected${rangesText(n)}\n`;
    }
    const built = Buffer.from(text);
    this.isolated.set(self.index, { second, generation: this.topology.generation, text: built });
    return built;
  }

  /** CLUSTER NODES of `self`, as parts of one bulk string (the shared text is not copied). */
  nodes(self: SimNode, now: number): Buffer[] {
    if (self.failure !== 'ok') return [this.isolatedText(self, now)];
    this.refresh(now);
    // Lines that differ from the shared text: its own, and nodes whose change has not reached it yet.
    const own = new Map<number, string>([[self.index, this.myselfLine(self, now)]]);
    for (const [index, failure] of this.topology.pendingViews(self, now)) {
      const node = this.topology.nodes[index];
      if (node) own.set(index, this.peerLine(node, now, failure));
    }
    const parts: Buffer[] = [];
    let from = 0;
    for (const index of [...own.keys()].sort((a, b) => a - b)) {
      const at = this.offsets[index] ?? 0;
      parts.push(this.text.subarray(from, at), Buffer.from(own.get(index) ?? ''));
      from = at + (this.lengths[index] ?? 0);
    }
    parts.push(this.text.subarray(from));
    return parts;
  }

  /** One node's line as the others see it (CLUSTER REPLICAS). */
  lineOf(n: SimNode, now: number): string {
    return this.peerLine(n, now).trimEnd();
  }

  private clusterCounts(): ClusterCounts {
    if (this.countsGeneration === this.topology.generation) return this.counts;
    const counts = { assigned: 0, ok: 0, pfail: 0, fail: 0, size: 0 };
    for (const n of this.topology.nodes) {
      if (n.role !== 'master' || n.slots.length === 0) continue;
      let slots = 0;
      for (const [a, b] of n.slots) slots += b - a + 1;
      counts.assigned += slots;
      counts.size++;
      if (n.failure === 'fail') counts.fail += slots;
      else if (n.failure === 'pfail') counts.pfail += slots;
      else counts.ok += slots;
    }
    this.counts = counts;
    this.countsGeneration = this.topology.generation;
    return counts;
  }

  /** The shared slot counts, corrected for the masters `self` still sees in another state (a spreading change). */
  private withPending(shared: ClusterCounts, self: SimNode, now: number): ClusterCounts {
    const pending = this.topology.pendingViews(self, now);
    if (pending.size === 0) return shared;
    const c = { ...shared };
    for (const [index, seen] of pending) {
      const node = this.topology.nodes[index];
      if (node?.role !== 'master') continue;
      const slots = node.slots.reduce((n, [a, b]) => n + b - a + 1, 0);
      c[node.failure === 'ok' ? 'ok' : node.failure] -= slots;
      c[seen] += slots;
    }
    return c;
  }

  /** CLUSTER INFO of `self` (CRLF lines, as cluster.c writes them). */
  info(self: SimNode, now: number): string {
    const shared = this.clusterCounts();
    // Cut off (flagged by the others): it sees every slot but its own as PFAIL, and says fail.
    const own = self.role === 'master' ? self.slots.reduce((n, [a, b]) => n + b - a + 1, 0) : 0;
    const c =
      self.failure === 'ok'
        ? this.withPending(shared, self, now)
        : { ...shared, ok: own, pfail: shared.assigned - own - shared.fail, fail: shared.fail };
    const state = self.failure === 'ok' && c.assigned === 16384 && c.fail === 0 ? 'ok' : 'fail';
    const up = Math.max(1, Math.floor((now - self.startedAt) / 1000));
    const known = this.topology.nodes.length;
    const pingSent = up * 10 + self.phase;
    const pongSent = up * 10 + Math.floor(self.phase / 2);
    return [
      `cluster_state:${state}`,
      `cluster_slots_assigned:${c.assigned}`,
      `cluster_slots_ok:${c.ok}`,
      `cluster_slots_pfail:${c.pfail}`,
      `cluster_slots_fail:${c.fail}`,
      `cluster_known_nodes:${known}`,
      `cluster_size:${c.size}`,
      `cluster_current_epoch:${this.topology.currentEpoch}`,
      `cluster_my_epoch:${this.topology.epochOf(self)}`,
      `cluster_stats_messages_ping_sent:${pingSent}`,
      `cluster_stats_messages_pong_sent:${pongSent}`,
      `cluster_stats_messages_meet_sent:${self.index === 0 ? 0 : 1}`,
      `cluster_stats_messages_sent:${pingSent + pongSent + (self.index === 0 ? 0 : 1)}`,
      `cluster_stats_messages_ping_received:${pongSent}`,
      `cluster_stats_messages_pong_received:${pingSent}`,
      `cluster_stats_messages_meet_received:${self.index === 0 ? known - 1 : 0}`,
      `cluster_stats_messages_received:${pingSent + pongSent + (self.index === 0 ? known - 1 : 0)}`,
      'total_cluster_links_buffer_limit_exceeded:0',
      '',
    ].join('\r\n');
  }

  private endpoint(n: SimNode): Value {
    return [n.host, n.port, n.id, []];
  }

  /** CLUSTER SLOTS: each range of each master with its replicas that have not failed. */
  slots(): Value {
    const out: Value[] = [];
    for (const master of this.topology.nodes) {
      if (master.role !== 'master') continue;
      const replicas = this.topology.replicasOf(master).filter((r) => r.failure !== 'fail');
      for (const [a, b] of master.slots)
        out.push([a, b, this.endpoint(master), ...replicas.map((r) => this.endpoint(r))]);
    }
    return out;
  }

  /** CLUSTER SHARDS: one entry per master with its replicas (7.0 fields, RESP2 flat maps). */
  shards(now: number): Value {
    const out: Value[] = [];
    for (const master of this.topology.nodes) {
      if (master.role !== 'master') continue;
      const members = [master, ...this.topology.replicasOf(master)];
      out.push([
        'slots',
        master.slots.flat(),
        'nodes',
        members.map((n) => [
          'id',
          n.id,
          'port',
          n.port,
          'ip',
          n.host,
          'endpoint',
          n.host,
          'role',
          n.role,
          'replication-offset',
          this.topology.replOffset(n, now),
          'health',
          n.failure === 'fail' ? 'fail' : 'online',
        ]),
      ]);
    }
    return out;
  }

  /** CLUSTER LINKS of `self`: an inbound and an outbound link per other node that is up. */
  links(self: SimNode): Value {
    const out: Value[] = [];
    for (const n of this.topology.nodes) {
      if (n === self || n.down || n.failure === 'fail') continue;
      const created = Math.max(self.startedAt, n.startedAt) + 200;
      for (const direction of ['to', 'from']) {
        out.push([
          'direction',
          direction,
          'node',
          n.id,
          'create-time',
          created,
          'events',
          direction === 'to' ? 'rw' : 'r',
          'send-buffer-allocated',
          0,
          'send-buffer-used',
          0,
        ]);
      }
    }
    return out;
  }
}
