import type { CommandUnavailable } from '../redis/commandRenames';

/** Values never shown: each distinct value is a label ("secret #1"), so a difference still shows. */
export const SECRET_PARAMS = new Set(['requirepass', 'masterauth', 'tls-key-file-pass', 'tls-client-key-file-pass']);

/** Parameters that differ per node by nature (ports, files, announce addresses): listed last, not a finding. */
const PER_NODE =
  /^(port|tls-port|bind-source-addr|replicaof|slaveof|pidfile|logfile|unixsocket|bind|dir|dbfilename|appendfilename|appenddirname|cluster-config-file|cluster-announce-.*|replica-announce-ip|slave-announce-ip|tls-cluster|cluster-port|syslog-ident)$/;

export type ConfigRole = 'master' | 'replica';

export interface NodeConfigRead {
  id: string;
  addr: string;
  role: ConfigRole;
  /** CONFIG GET * as name -> value; absent when the node could not be read. */
  values?: Record<string, string>;
  /** Why it could not be read. */
  error?: string;
  /** CONFIG disabled by commandRenames, or unknown to the node (renamed, not in commandRenames). */
  command?: CommandUnavailable;
}

export interface ConfigValue {
  /** The value, "(absent)" where the node has no such parameter, or "secret #n" for a secret. */
  value: string;
  nodes: Array<{ id: string; addr: string }>;
}

export interface ConfigParamDiff {
  name: string;
  secret?: true;
  /** Expected to differ per node (port, dir, announce addresses). */
  perNode?: true;
  masters: ConfigValue[];
  replicas: ConfigValue[];
}

export interface ConfigDiff {
  readAt: string;
  /** Nodes whose CONFIG GET * answered. */
  read: number;
  params: ConfigParamDiff[];
  unreadable: Array<{ id: string; addr: string; role: ConfigRole; reason: string; command?: CommandUnavailable }>;
}

export const ABSENT = '(absent)';

/** Parameters whose value is not the same on every node that answered, each split by role, value -> nodes. */
export function diffConfigs(reads: readonly NodeConfigRead[], readAt: Date): ConfigDiff {
  const answered = reads.filter((r): r is NodeConfigRead & { values: Record<string, string> } => !!r.values);
  const names = new Set(answered.flatMap((r) => Object.keys(r.values)));
  const secretLabels = new Map<string, string>();
  const shown = (name: string, value: string | undefined): string => {
    if (value === undefined) return ABSENT;
    if (!SECRET_PARAMS.has(name)) return value;
    if (value === '') return '(empty)';
    const key = `${name}\u0000${value}`;
    let label = secretLabels.get(key);
    if (!label) {
      label = `secret #${[...secretLabels.keys()].filter((k) => k.startsWith(`${name}\u0000`)).length + 1}`;
      secretLabels.set(key, label);
    }
    return label;
  };
  const params: ConfigParamDiff[] = [];
  for (const name of [...names].sort()) {
    const distinct = new Set(answered.map((r) => r.values[name]));
    if (distinct.size < 2) continue;
    const group = (role: ConfigRole): ConfigValue[] => {
      const byValue = new Map<string, ConfigValue>();
      for (const r of answered.filter((a) => a.role === role)) {
        const value = shown(name, r.values[name]);
        const entry = byValue.get(value) ?? { value, nodes: [] };
        entry.nodes.push({ id: r.id, addr: r.addr });
        byValue.set(value, entry);
      }
      return [...byValue.values()].sort((a, b) => b.nodes.length - a.nodes.length || a.value.localeCompare(b.value));
    };
    params.push({
      name,
      ...(SECRET_PARAMS.has(name) ? { secret: true as const } : {}),
      ...(PER_NODE.test(name) ? { perNode: true as const } : {}),
      masters: group('master'),
      replicas: group('replica'),
    });
  }
  params.sort((a, b) => Number(a.perNode ?? false) - Number(b.perNode ?? false) || a.name.localeCompare(b.name));
  return {
    readAt: readAt.toISOString(),
    read: answered.length,
    params,
    unreadable: reads
      .filter((r) => !r.values)
      .map((r) => ({
        id: r.id,
        addr: r.addr,
        role: r.role,
        reason: r.error ?? 'not read',
        ...(r.command ? { command: r.command } : {}),
      })),
  };
}

/** "CONFIG disabled on this node: …" — the sentence shown on a node whose CONFIG cannot be used. */
export function configUnavailableText(command: CommandUnavailable): string {
  return command === 'disabled'
    ? 'CONFIG disabled on this node (commandRenames ""): config diff skips it; set on every node refuses to run without it'
    : 'CONFIG unknown on this node (renamed or disabled there, not named in commandRenames): config diff skips it; set on every node refuses to run without it';
}
