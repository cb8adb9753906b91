/** Which server the node runs, from INFO server (Valkey adds server_name and valkey_version). */
export interface ServerVersion {
  flavour: 'redis' | 'valkey';
  version: string;
}

export function serverVersion(fields: Record<string, string>): ServerVersion {
  if (fields.server_name === 'valkey' || fields.valkey_version)
    return { flavour: 'valkey', version: fields.valkey_version ?? fields.redis_version ?? '0' };
  return { flavour: 'redis', version: fields.redis_version ?? '0' };
}

/** Compare dotted versions numerically: atLeast('7.0.15', '7.0') === true. */
export function atLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const b = minimum.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** CLUSTER LINKS (like CLUSTER SHARDS) arrived in Redis 7.0 and Valkey 7.2 (the first Valkey). */
export function supportsClusterLinks(v: ServerVersion): boolean {
  return v.flavour === 'valkey' ? atLeast(v.version, '7.2') : atLeast(v.version, '7.0');
}
