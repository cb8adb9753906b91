import type { CommandUnavailable } from '../redis/commandRenames';
import type { ConfigRole } from './diff';

/**
 * Parameters "set on every node" refuses, and why. Secrets: a new requirepass would lock the dashboard out half-way
 * (and a rollback with it); passwords are changed node by node with ACLs. Paths and identities: one value on every
 * node is wrong by nature (two nodes in one dir overwrite each other's files), and `dir` is how a CONFIG SET writes
 * files where it should not.
 */
const REFUSED: ReadonlyArray<[RegExp, string]> = [
  [
    /^(requirepass|masterauth|masteruser|primaryauth|primaryuser)$/,
    'a password: change it per node (ACL SETUSER), not here',
  ],
  [
    /^(dir|dbfilename|logfile|pidfile|appendfilename|appenddirname|cluster-config-file|aclfile|unixsocket)$/,
    'a file or folder of one node: set it on that node',
  ],
  [
    /^(port|tls-port|bind|cluster-port|cluster-announce-.*|replica-announce-.*|slave-announce-.*)$/,
    "one node's address: set it on that node",
  ],
  [/^(replicaof|slaveof)$/, 'cluster replicas follow CLUSTER REPLICATE, not replicaof'],
];

export const CONFIG_NAME = /^[a-z][a-z0-9-]*$/;

/** Why `name` may not be set on every node; undefined when it may. */
export function refusedParam(name: string): string | undefined {
  if (!CONFIG_NAME.test(name)) return 'a parameter name: lower-case letters, digits and "-", no wildcards';
  return REFUSED.find(([pattern]) => pattern.test(name))?.[1];
}

/** The typed confirmation: the parameter names, as given, joined by ", ". */
export function configConfirmation(params: Readonly<Record<string, string>>): string {
  return Object.keys(params).join(', ');
}

export interface ConfigSetTarget {
  id: string;
  addr: string;
  role: ConfigRole;
  /** Current value of each parameter; absent when not read. */
  old?: Record<string, string>;
  error?: string;
  command?: CommandUnavailable;
}

export interface ConfigSetPlanRow {
  id: string;
  addr: string;
  role: ConfigRole;
  changes: Array<{ name: string; old: string; new: string }>;
}

export type ConfigSetPlan = { ok: true; rows: ConfigSetPlanRow[] } | { ok: false; reason: string };

/**
 * Every node, old -> new per parameter, masters first: or why nothing will be sent (a refused parameter, a node that
 * cannot be read or set, a parameter some node does not know). Every node must take the value, so none is skipped.
 */
export function planConfigSet(
  targets: readonly ConfigSetTarget[],
  params: Readonly<Record<string, string>>,
): ConfigSetPlan {
  const names = Object.keys(params);
  if (names.length === 0) return { ok: false, reason: 'no parameter given' };
  for (const name of names) {
    const refused = refusedParam(name);
    if (refused) return { ok: false, reason: `${name} is not set on every node: ${refused}` };
  }
  if (targets.length === 0) return { ok: false, reason: 'no node to set' };
  const unreadable = targets.filter((t) => !t.old);
  if (unreadable.length)
    return {
      ok: false,
      reason: `every node must take the value; cannot read ${unreadable.map((t) => `${t.addr} (${t.error ?? 'not read'})`).join(', ')}`,
    };
  const rows: ConfigSetPlanRow[] = [];
  for (const target of targets) {
    const old = target.old ?? {};
    const unknown = names.filter((n) => old[n] === undefined);
    if (unknown.length) return { ok: false, reason: `${target.addr} has no parameter ${unknown.join(', ')}` };
    rows.push({
      id: target.id,
      addr: target.addr,
      role: target.role,
      changes: names.map((name) => ({ name, old: old[name] ?? '', new: params[name] ?? '' })),
    });
  }
  rows.sort((a, b) => Number(a.role === 'replica') - Number(b.role === 'replica') || a.addr.localeCompare(b.addr));
  return { ok: true, rows };
}
