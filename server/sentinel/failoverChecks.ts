import 'server-only';
import { splitHostPort } from '@/lib/config/schema';
import { parseInfo } from '@/lib/redis/info';
import type { PlanOptions } from '@/lib/sentinel/failoverPlan';
import type { SentinelSnapshot } from '@/lib/sentinel/types';
import type { FailoverLinks } from './failoverLinks';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** CONFIG GET replica-read-only on the master: "yes" / "no", null when refused, renamed or unreadable. */
async function replicaReadOnly(links: FailoverLinks, master: string): Promise<'yes' | 'no' | null> {
  try {
    const reply = await links.node(master, 'CONFIG', 'GET', 'replica-read-only');
    const value = Array.isArray(reply) ? String(reply[1] ?? '') : '';
    return value === 'yes' || value === 'no' ? value : null;
  } catch {
    return null;
  }
}

/** Sentinels answering sentinel_tilt:1 in INFO sentinel (a sentinel that does not answer is not counted here). */
async function tilted(links: FailoverLinks, sentinels: string[]): Promise<string[]> {
  const tilt = await Promise.all(
    sentinels.map((s) =>
      links.sentinel(s, 'INFO', 'sentinel').then(
        (r) => parseInfo(String(r)).fields.sentinel_tilt === '1',
        () => false,
      ),
    ),
  );
  return sentinels.filter((_, i) => tilt[i]);
}

/**
 * ACL DRYRUN (Redis 7 / Valkey) of what the job sends the master as the data-node user: CLIENT PAUSE and REPLICAOF.
 * Refused commands with the server's reason; or why it could not be checked (older server, ACL itself refused).
 */
async function aclRights(
  links: FailoverLinks,
  master: string,
  replica: string | undefined,
): Promise<Pick<PlanOptions, 'aclRefused' | 'aclUnchecked'>> {
  const user = links.deployment.username ?? 'default';
  const target = splitHostPort(replica ?? master);
  const probes: Array<[string, (string | number)[]]> = [
    ['CLIENT PAUSE', ['CLIENT', 'PAUSE', '1', 'WRITE']],
    ['REPLICAOF', ['REPLICAOF', target.host, target.port]],
    ['CONFIG REWRITE', ['CONFIG', 'REWRITE']],
    ['CLIENT KILL', ['CLIENT', 'KILL', 'TYPE', 'normal']],
  ];
  const refused: string[] = [];
  for (const [label, args] of probes) {
    let reply: unknown;
    const [command, ...rest] = args;
    let own: string;
    try {
      // The probed command's own name as the node knows it (commandRenames).
      own = links.nodeCommand(master, String(command));
    } catch (err) {
      refused.push(`${label} (${message(err)})`);
      continue;
    }
    try {
      reply = await links.node(master, 'ACL', 'DRYRUN', user, own, ...rest);
    } catch (err) {
      return { aclUnchecked: `ACL DRYRUN ${label} could not be run (${message(err)}): the rights are not checked` };
    }
    if (String(reply) !== 'OK') refused.push(`${label} (${String(reply)})`);
  }
  return { aclRefused: refused };
}

/** The pre-checks that need the nodes themselves, each bounded by the job connections' command timeout. */
export async function liveChecks(links: FailoverLinks, snapshot: SentinelSnapshot): Promise<PlanOptions> {
  const master = snapshot.master?.reachable ? snapshot.master.addr : undefined;
  const sentinels = snapshot.sentinels.filter((s) => s.reachable).map((s) => s.addr);
  const [readOnly, tilt, acl] = await Promise.all([
    master ? replicaReadOnly(links, master) : Promise.resolve(undefined),
    tilted(links, sentinels),
    master ? aclRights(links, master, snapshot.replicas[0]?.addr) : Promise.resolve({}),
  ]);
  return { ...(readOnly !== undefined ? { replicaReadOnly: readOnly } : {}), tilted: tilt, ...acl };
}
