import type { Finding } from '../findings/types';
import { haproxyErrorReason, utcClock } from './haproxyMemory';
import type { HaproxyServer, SentinelSnapshot } from './types';

function serverLabel(s: HaproxyServer): string {
  return `${s.name}${s.addr ? ` (${s.addr}${s.backup ? ', a backup: no active server is UP' : ''})` : s.backup ? ' (a backup)' : ''}`;
}

const nodeIdsOf = (servers: readonly HaproxyServer[]) =>
  servers.flatMap((s) => (s.nodeAddr ? [s.nodeAddr] : s.addr ? [s.addr] : []));

/** A server is the sentinels' master when its address is the master's, as named or as the dashboard dials it. */
function isMaster(s: HaproxyServer, snapshot: SentinelSnapshot): boolean {
  const master = snapshot.master;
  if (!master) return false;
  return (
    s.nodeAddr === master.addr || (s.addr !== undefined && (s.addr === master.addr || s.addr === master.connectAddr))
  );
}

/** What the node behind a server says of itself this poll (undefined: not matched, or not read). */
function roleOfServer(s: HaproxyServer, snapshot: SentinelSnapshot): 'master' | 'replica' | null | undefined {
  const node = [snapshot.master, ...snapshot.replicas].find((n) => n && (n.addr === s.nodeAddr || n.addr === s.addr));
  return node?.role;
}

/**
 * Whether HAProxy sends clients where the sentinels say the master is: to another node, to two at once, or to none
 * (all critical: writes go to a replica, split, or nowhere). Read from HAProxy's own stats each poll.
 */
export function haproxyFindings(snapshot: SentinelSnapshot): Finding[] {
  const haproxy = snapshot.haproxy;
  if (!haproxy) return [];
  if (!haproxy.reachable && haproxy.lastOkAt) {
    // It answered before and now does not: the proxy itself is gone (J, T#1), not a config mistake.
    return [
      {
        code: 'haproxy_not_answering',
        severity: 'critical',
        nodeIds: [],
        message: `HAProxy stopped answering at ${utcClock(haproxy.failingSince ?? snapshot.collectedAt)} (${haproxyErrorReason(haproxy.error)}): it is probably not running; clients going through it have no Redis.`,
        action: `Check the HAProxy process on its host (systemctl status haproxy, its log) and start it again; its stats last answered at ${utcClock(haproxy.lastOkAt)}.`,
        headline: 'HAProxy stopped answering',
      },
    ];
  }
  if (!haproxy.reachable || haproxy.error) {
    return [
      {
        code: 'haproxy_stats_unreadable',
        severity: 'warning',
        nodeIds: [],
        message: `HAProxy's stats could not be read (${haproxy.error ?? 'no answer'}): whether it routes to the sentinels' master is unknown.`,
        action: `Check the ${haproxy.source === 'socket' ? 'stats socket path and its permissions' : 'stats URL'} and the backend name "${haproxy.backend}" in the config.`,
        headline: "HAProxy's stats unreadable",
      },
    ];
  }
  const routed = haproxy.servers.filter((s) => s.routed);
  const master = snapshot.master;
  const masterNode = master ? [master.addr] : [];
  if (routed.length === 0) {
    return [
      {
        code: 'haproxy_routes_none',
        severity: 'critical',
        nodeIds: masterNode,
        message: `HAProxy's backend "${haproxy.backend}" has no server UP: clients connecting through it get no Redis at all${master ? ` (the sentinels' master is ${master.addr})` : ''}.`,
        action:
          "Look at the servers' check_status/check_desc below: the health check (e.g. tcp-check expect role:master) may not match, or the master's server entry is missing or in maintenance.",
        headline: 'HAProxy routes to no node',
      },
    ];
  }
  const out: Finding[] = [];
  if (routed.length > 1) {
    // What each routed node says of itself this poll: a node answering role:replica refuses writes (READONLY), so
    // HAProxy still sending to it (its check has not failed `fall` times yet, e.g. right after a failover) loses
    // nothing; two that take writes are a split brain. A node the dashboard cannot read may take writes.
    const refusing = routed.filter((s) => roleOfServer(s, snapshot) === 'replica');
    const writable = routed.filter((s) => roleOfServer(s, snapshot) !== 'replica');
    if (writable.length > 1) {
      out.push({
        code: 'haproxy_routes_two',
        severity: 'critical',
        nodeIds: nodeIdsOf(routed),
        message: `HAProxy routes to ${routed.length} servers at once (${routed.map(serverLabel).join(', ')}), ${writable.length} of them taking writes: clients write to two masters (split brain), and writes to the wrong one are lost.`,
        action:
          "Stop the second node taking writes (REPLICAOF the sentinels' master); make the health check require role:master so only one server is UP.",
        headline: 'HAProxy routes to two nodes at once',
      });
    } else {
      out.push({
        code: 'haproxy_routes_replica',
        severity: 'warning',
        nodeIds: nodeIdsOf(refusing),
        message: `HAProxy still routes to ${refusing.map(serverLabel).join(', ')}, which answers role:replica: writes sent there fail (READONLY, never acknowledged) until HAProxy's check marks it down (fall × inter).`,
        action:
          "Usually seconds after a failover. If it lasts, check that server's tcp-check (expect role:master) and its inter/fall; `on-marked-down shutdown-sessions` moves clients off at once.",
        headline: 'HAProxy still routes to a replica',
      });
    }
  }
  // A server without an address cannot be matched: HAProxy's HTTP stats page leaves addr empty unless its stats section
  // has `stats show-legends` (the stats socket always fills it). Said once; never taken for the wrong node.
  const unmatched = routed.filter((s) => !s.addr && !s.nodeAddr);
  if (unmatched.length) {
    out.push({
      code: 'haproxy_servers_unmatched',
      severity: 'warning',
      nodeIds: [],
      message: `HAProxy's stats give no address for ${unmatched.map((s) => s.name).join(', ')}: whether it routes to the sentinels' master cannot be checked.`,
      action:
        "Add `stats show-legends` to the HAProxy section serving the stats page (the HTTP CSV then carries each server's addr), or read the stats socket (statsSocket).",
      headline: "HAProxy's servers cannot be matched to nodes",
    });
  }
  const wrong = master ? routed.filter((s) => (s.addr || s.nodeAddr) && !isMaster(s, snapshot)) : [];
  // Beside the master, a routed node that answers role:replica refuses writes: haproxy_routes_replica says it. Routed
  // to replicas only, clients can write nowhere; to a node that takes writes, they are lost.
  const masterRouted = routed.some((s) => isMaster(s, snapshot));
  const takesWrites = wrong.filter((s) => roleOfServer(s, snapshot) !== 'replica');
  if (master && (takesWrites.length || (wrong.length && !masterRouted))) {
    out.push({
      code: 'haproxy_wrong_master',
      severity: 'critical',
      nodeIds: [master.addr, ...nodeIdsOf(wrong)],
      message: `HAProxy and the sentinels disagree: HAProxy routes to ${wrong.map(serverLabel).join(', ')}, the sentinels' master is ${master.addr}. Writes through HAProxy go to a node the sentinels do not treat as master and can be lost.`,
      action:
        "Fix the backend (the server's address, or a check requiring role:master) so HAProxy follows the sentinels; turn the wrong node back into a replica if it answers role:master.",
      headline: 'HAProxy and sentinels disagree on the master',
    });
  }
  // No active server UP and several backups UP: HAProxy uses the first, or all of them with `option allbackups` (the
  // stats do not say which). One that is not the sentinels' master is a warning: it takes writes if that option is set.
  const maybe = master
    ? haproxy.servers.filter((s) => s.allbackupsRouted && (s.addr || s.nodeAddr) && !isMaster(s, snapshot))
    : [];
  if (master && maybe.length) {
    out.push({
      code: 'haproxy_backup_may_route',
      severity: 'warning',
      nodeIds: [master.addr, ...nodeIdsOf(maybe)],
      message: `No active server of "${haproxy.backend}" is UP: HAProxy sends to its first UP backup, ${routed.map(serverLabel).join(', ')}; with \`option allbackups\` it also sends to ${maybe.map((s) => `${s.name}${s.addr ? ` (${s.addr})` : ''}`).join(', ')}, which is not the sentinels' master ${master.addr}. The stats do not show whether that option is set.`,
      action:
        "Check the backend for `option allbackups`; make the backups' health check require role:master too, and bring an active server back.",
      headline: 'a backup that is not the master may take writes',
    });
  }
  return out;
}
