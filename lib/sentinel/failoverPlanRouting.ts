import type { PreCheck } from '../failover/prechecks';
import { haproxyErrorReason, utcClock } from './haproxyMemory';
import type { HaproxyServer, SentinelDataNode, SentinelSnapshot } from './types';

/**
 * The guided failover's pre-checks on where clients are sent (HAProxy) and on a second node answering role:master:
 * a split brain in progress. Pure, from one snapshot.
 */

const check = (name: string, status: PreCheck['status'], value: string, detail?: string): PreCheck => ({
  name,
  status,
  value,
  ...(detail ? { detail } : {}),
});

const label = (s: HaproxyServer) => `${s.name} (${s.nodeAddr ?? s.addr ?? 'no address in the stats'})`;

/** The server is the sentinels' master: its address is the master's, as the sentinels name it or as it is dialled. */
function isMaster(s: HaproxyServer, master: SentinelDataNode): boolean {
  return (
    s.nodeAddr === master.addr || (s.addr !== undefined && (s.addr === master.addr || s.addr === master.connectAddr))
  );
}

/** "REPLICAOF host port" for an "host:port" (IPv6 hosts keep their colons). */
const replicaofOf = (addr: string) => `REPLICAOF ${addr.replace(/:(\d+)$/, ' $1')}`;

/**
 * With `haproxy` configured: whether its stats answer, and whether it routes to the sentinels' master alone. Neither
 * blocks the failover (the sentinels decide the master, not HAProxy); both say what the operator must know first.
 */
export function haproxyChecks(snapshot: SentinelSnapshot, promote: string | undefined): PreCheck[] {
  const haproxy = snapshot.haproxy;
  if (!haproxy) return [];
  const readable = 'HAProxy stats readable';
  const routes = 'HAProxy routes to the master only';
  const source = haproxy.source === 'socket' ? 'the stats socket' : 'the stats URL';
  if (!haproxy.reachable) {
    const reason = haproxyErrorReason(haproxy.error);
    const since = haproxy.lastOkAt
      ? ` They answered until ${utcClock(haproxy.lastOkAt)}: HAProxy has probably stopped, and clients going through it have no path to Redis now, whichever node is master.`
      : ' Clients going through HAProxy may have no path to Redis.';
    return [
      check(
        readable,
        'warn',
        `${source}: ${reason}`,
        `HAProxy's stats could not be read (${haproxy.error ?? 'no answer'}): the job cannot verify where HAProxy routes, before or after the switch.${since} This does not stop the failover (the sentinels decide the master, not HAProxy); the job then ends with HAProxy's routing "unverified".`,
      ),
    ];
  }
  const out = [check(readable, 'pass', `read from ${source}`)];
  const master = snapshot.master;
  const routed = haproxy.servers.filter((s) => s.routed);
  if (!master)
    return [...out, check(routes, 'warn', 'no master named', 'the sentinels name no master to compare with')];
  const after = promote
    ? `After the failover HAProxy routes to ${promote} only once its health check sees role:master there.`
    : '';
  if (routed.length === 0)
    return [
      ...out,
      check(
        routes,
        'warn',
        `no server UP in "${haproxy.backend}"`,
        `clients going through HAProxy reach no Redis now (see the servers' checks on the page). ${after}`.trim(),
      ),
    ];
  const unmatched = routed.filter((s) => !s.addr && !s.nodeAddr);
  const wrong = routed.filter((s) => (s.addr || s.nodeAddr) && !isMaster(s, master));
  if (wrong.length > 0) {
    const names = wrong.map(label).join(', ');
    const two = routed.length > 1 ? `to ${routed.length} servers at once: ${routed.map(label).join(', ')}` : names;
    return [
      ...out,
      check(
        routes,
        'warn',
        two,
        `a split brain in progress: clients going through HAProxy write to ${names}, which the sentinels do not call master (theirs is ${master.addr}); writes acknowledged there are lost when it is made a replica. Failing over now moves the sentinels' master${promote ? ` to ${promote}` : ''}; it does not stop those writes, and the job cannot verify HAProxy afterwards (it ends "unverified"). Better first: make the wrong node a replica (${replicaofOf(master.addr)}) or fix the backend's health check (role:master), then plan again.`,
      ),
    ];
  }
  if (unmatched.length > 0)
    return [
      ...out,
      check(
        routes,
        'warn',
        `no address for ${unmatched.map((s) => s.name).join(', ')}`,
        "HAProxy's stats give no address for the routed server: whether it is the master cannot be checked (add `stats show-legends`, or read the stats socket).",
      ),
    ];
  return [...out, check(routes, 'pass', routed.map(label).join(', '))];
}

/**
 * A node the sentinels list as a replica that answers role:master itself. SENTINEL FAILOVER does not skip such a
 * replica when it picks whom to promote (sentinelSelectSlave looks at flags, link, PING/INFO age and priority, not
 * the role the node reports): it may promote it, and every node then resyncs from it, discarding what the real
 * master acknowledged since they split. So it fails when a sentinel knows the node; a node no sentinel knows is out
 * of the failover's reach (never picked, never reconfigured) and only warns.
 */
export function secondMasterCheck(snapshot: SentinelSnapshot): PreCheck {
  const name = 'no second node answering role:master';
  const master = snapshot.master;
  const others = snapshot.replicas.filter((r) => r.reachable && r.role === 'master');
  if (others.length === 0) return check(name, 'pass', master ? `only ${master.addr}` : 'none answers role:master');
  const known = others.filter((r) => r.knownBySentinels > 0);
  const addrs = others.map((r) => r.addr).join(', ');
  const theirs = master ? ` (the sentinels' master is ${master.addr})` : '';
  const fix = master ? `, or run ${replicaofOf(master.addr)} on it` : '';
  if (known.length > 0)
    return check(
      name,
      'fail',
      addrs,
      `a split brain: ${known.map((r) => r.addr).join(', ')} answer${known.length === 1 ? 's' : ''} role:master while the sentinels list ${known.length === 1 ? 'it' : 'them'} as a replica${theirs}. SENTINEL FAILOVER does not skip a replica that says it is master: it may promote it, and every node then resyncs from it, discarding what the master acknowledged since they split (the writes it took itself are discarded either way once it is reconfigured). The sentinels turn it back into a replica on their own about 8 s after it said master, while their master looks healthy: wait for that${fix}; then plan again.`,
    );
  return check(
    name,
    'warn',
    addrs,
    `${addrs} answer${others.length === 1 ? 's' : ''} role:master but no sentinel knows ${others.length === 1 ? 'it' : 'them'}${theirs}: the failover neither promotes nor reconfigures it, and what clients write there is lost once someone makes it a replica. Find who writes there (HAProxy, direct clients)${fix}.`,
  );
}
