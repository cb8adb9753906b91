/**
 * Why the dashboard got no reply from a node, read from the error it recorded. Each kind calls for a different next
 * step, so the screens never say "check the network" for a node that accepts connections and then hangs.
 */
export type UnreachableKind = 'outside' | 'hung' | 'refused' | 'auth' | 'path' | 'protocol' | 'other';

export function unreachableKind(error: string | undefined): UnreachableKind {
  const text = error ?? '';
  // Not a reply missing: the dashboard never connects (lib/config/nodeNetworks.ts notPolledOutside).
  if (/^not polled: .* is outside nodeNetworks$/.test(text)) return 'outside';
  if (/authentication (failed|required)|WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(text))
    return 'auth';
  if (/ECONNREFUSED|connection refused/i.test(text)) return 'refused';
  // A command sent on an open connection without an answer: the process accepts TCP (the kernel does) and is stopped,
  // blocked by a long command, or swapping.
  if (/no reply within|still waiting|Command timed out|connected, no reply/i.test(text)) return 'hung';
  if (/ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|no connection within|connect timeout/i.test(text))
    return 'path';
  if (/protocol error|not a Redis reply/i.test(text)) return 'protocol';
  return 'other';
}

/** A few words for the kind, used in headlines ("on a master that does not answer"). */
export const UNREACHABLE_PHRASE: Record<UnreachableKind, string> = {
  outside: 'is outside nodeNetworks (not polled)',
  hung: 'does not answer',
  refused: 'refuses connections',
  auth: "rejects the dashboard's credentials",
  path: 'cannot be reached from the dashboard',
  protocol: 'answers with something that is not Redis',
  other: 'does not answer the dashboard',
};

/**
 * What to do next, for each kind. `clusterSeesHealthy`: the cluster's own view has no PFAIL/FAIL for the node.
 * `role`: what happens next differs: a master's replica is promoted, a replica's master just loses its spare.
 */
export function unreachableAdvice(
  kind: UnreachableKind,
  clusterSeesHealthy: boolean,
  role: 'master' | 'replica' | 'unknown' = 'master',
): string {
  const next =
    role === 'replica'
      ? 'It is a replica: nothing is promoted, but its master has one copy fewer until it is back.'
      : 'If it is a master with slots, the cluster promotes one of its replicas once a majority of masters mark it FAIL (after cluster-node-timeout).';
  switch (kind) {
    case 'outside':
      return "The dashboard does not connect to this address, so the cluster's password is never sent there: it is outside the cluster's nodeNetworks. If the node is legitimate, add its network to nodeNetworks; otherwise someone with access to the cluster bus MEETed it: CLUSTER FORGET it on every node.";
    case 'hung':
      return clusterSeesHealthy
        ? `The node accepts TCP but does not reply: it is stopped (SIGSTOP), blocked by a long command or script, or swapping. Check the host (CPU, swap, a KEYS or Lua run) now. Other nodes mark it PFAIL after cluster-node-timeout if it hangs for them too. ${next}`
        : `The node accepts TCP but does not reply, and the cluster agrees it does not answer: it is stopped, blocked or swapping. Check the process on its host. ${next}`;
    case 'refused':
      return `The port refuses connections: the process is not running there (crashed, restarting or moved). Check the service on its host. ${next}`;
    case 'auth':
      return "The node answers but rejects the dashboard's user or password: the node itself is probably fine. Check the configured username/password against the node's requirepass or ACL.";
    case 'path':
      return clusterSeesHealthy
        ? 'The cluster sees the node healthy, so only the path from the dashboard is broken: check the route and firewall from the dashboard host and the natMap for this address.'
        : `No connection from the dashboard and the cluster reports it unreachable too: check the host (powered off? network down?). ${next}`;
    case 'protocol':
      return 'Something that is not Redis answers on this address: check the port and the natMap.';
    default:
      return 'Check the node process, the network path from the dashboard, and the credentials.';
  }
}
