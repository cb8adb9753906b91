import 'server-only';
import type { ResolvedCluster, ResolvedConfig } from './load';

export interface ClusterChange {
  id: string;
  /** The settings that differ (names only). */
  fields: string[];
}

export interface ReloadPlan {
  /** The config to run with: the new file's, with what only a restart may change kept from the running one. */
  config: ResolvedConfig;
  added: string[];
  removed: string[];
  changed: ClusterChange[];
  /** What changed, for the log: names and counts, never a secret's value. */
  summary: string;
  /** Settings the new file changes that this process keeps until it restarts. */
  notes: string[];
}

/** Buffers (PEM files) as text and object keys sorted, so equal settings give equal JSON. */
function canonical(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort()
        .map((k) => [k, canonical(record[k])]),
    );
  }
  return value;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** The settings of a cluster that differ between two configs ([] when its poller can stay as it is). */
export function changedClusterFields(before: ResolvedCluster, after: ResolvedCluster): string[] {
  const a = before as unknown as Record<string, unknown>;
  const b = after as unknown as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !same(a[k], b[k])).sort();
}

/** "kioskToken changed" / "set" / "removed"; undefined when unchanged. The value itself is never named. */
function secretChange(name: string, before: string | undefined, after: string | undefined): string | undefined {
  if (before === after) return undefined;
  if (before === undefined) return `${name} set`;
  if (after === undefined) return `${name} removed`;
  return `${name} changed`;
}

function userChanges(current: ResolvedConfig, next: ResolvedConfig): string[] {
  const before = new Map(current.users.map((u) => [u.name, u]));
  const after = new Map(next.users.map((u) => [u.name, u]));
  const added = [...after.keys()].filter((n) => !before.has(n));
  const removed = [...before.keys()].filter((n) => !after.has(n));
  const kept = [...after.values()].flatMap((u) => {
    const old = before.get(u.name);
    return old ? [{ old, now: u }] : [];
  });
  const passwords = kept.filter(({ old, now }) => old.passwordHash !== now.passwordHash).map(({ now }) => now.name);
  const roles = kept.filter(({ old, now }) => old.role !== now.role).map(({ now }) => `${now.name}:${now.role}`);
  const details = [
    added.length ? `added ${added.join(' ')}` : '',
    removed.length ? `removed ${removed.join(' ')}` : '',
    passwords.length ? `new password ${passwords.join(' ')}` : '',
    roles.length ? `role ${roles.join(' ')}` : '',
  ].filter(Boolean);
  return details.length ? [`users ${current.users.length} -> ${next.users.length} (${details.join(', ')})`] : [];
}

/** Top-level settings summarised one line each; the rest are users and clusters (below) or kept until a restart. */
type TopLevelField = Exclude<
  keyof ResolvedConfig,
  'path' | 'users' | 'clusters' | 'dataDir' | 'sessionSecret' | 'readOnly'
>;

const count = (name: string) => (before: readonly unknown[], after: readonly unknown[]) =>
  same(before, after) ? undefined : `${name} ${before.length} -> ${after.length}`;
const value = (name: string) => (before: number, after: number) =>
  before === after ? undefined : `${name} ${before} -> ${after}`;

/**
 * One entry per applied top-level field of ResolvedConfig: a field added there and not here fails to compile, so no
 * applied change can be summarised as "no changes".
 */
const TOP_LEVEL: {
  [K in TopLevelField]-?: (before: ResolvedConfig[K], after: ResolvedConfig[K]) => string | undefined;
} = {
  kioskToken: (before, after) => secretChange('kioskToken', before, after),
  metricsToken: (before, after) => secretChange('metricsToken', before, after),
  allowedOrigins: count('allowedOrigins'),
  sessionTtlHours: value('sessionTtlHours'),
  auditLogPath: (before, after) => (before === after ? undefined : `auditLogPath ${after}`),
  auditMaxBytes: value('auditMaxBytes'),
  auditKeepFiles: value('auditKeepFiles'),
  trustedProxies: count('trustedProxies'),
  allowedHosts: count('allowedHosts'),
  createTargets: count('createTargets'),
  sentinels: (before, after) => {
    const ids = (list: ResolvedConfig['sentinels']) => list.map((s) => s.id).join(' ');
    if (same(before, after)) return undefined;
    return ids(before) === ids(after)
      ? `Sentinel deployments changed (${ids(after)})`
      : `Sentinel deployments ${ids(before) || '(none)'} -> ${ids(after) || '(none)'}`;
  },
};

function topLevelChange<K extends TopLevelField>(
  field: K,
  current: ResolvedConfig,
  next: ResolvedConfig,
): string | undefined {
  // TypeScript does not correlate the entry's parameter types with K; the table's type above does.
  const describeChange = TOP_LEVEL[field] as (
    before: ResolvedConfig[K],
    after: ResolvedConfig[K],
  ) => string | undefined;
  return describeChange(current[field], next[field]);
}

/** What a reload from `current` to the freshly loaded `next` changes; pure (the caller applies it). */
export function planReload(current: ResolvedConfig, next: ResolvedConfig): ReloadPlan {
  const before = new Map(current.clusters.map((c) => [c.id, c]));
  const after = new Map(next.clusters.map((c) => [c.id, c]));
  const added = next.clusters.filter((c) => !before.has(c.id)).map((c) => c.id);
  const removed = current.clusters.filter((c) => !after.has(c.id)).map((c) => c.id);
  const changed = next.clusters.flatMap((c): ClusterChange[] => {
    const old = before.get(c.id);
    const fields = old ? changedClusterFields(old, c) : [];
    return fields.length ? [{ id: c.id, fields }] : [];
  });
  const notes =
    next.dataDir !== current.dataDir
      ? [`dataDir changed to ${next.dataDir}: it takes a restart; still using ${current.dataDir}`]
      : [];
  const parts = [
    ...userChanges(current, next),
    ...(Object.keys(TOP_LEVEL) as TopLevelField[]).map((field) => topLevelChange(field, current, next)),
    added.length ? `clusters added ${added.join(' ')}` : undefined,
    removed.length ? `clusters removed ${removed.join(' ')}` : undefined,
    ...changed.map((c) => `cluster ${c.id} changed (${c.fields.join(', ')})`),
  ].filter((p): p is string => p !== undefined);
  return {
    config: { ...next, sessionSecret: current.sessionSecret, dataDir: current.dataDir, readOnly: current.readOnly },
    added,
    removed,
    changed,
    summary: parts.length ? parts.join('; ') : 'no changes',
    notes,
  };
}
