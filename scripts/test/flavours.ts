// The two server flavours the operations are tested on: Debian's redis-server 7.0 and Valkey 8 (built once by
// ../shared/servers/valkey.sh, cached).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Flavour = 'redis' | 'valkey';

const VALKEY_SCRIPT = fileURLToPath(new URL('../../../shared/servers/valkey.sh', import.meta.url));

/** The server binary for a flavour; Valkey is built on first use (~40 s on 2 cores). */
export function serverBin(flavour: Flavour): string {
  if (flavour === 'redis') return 'redis-server';
  if (!existsSync(VALKEY_SCRIPT)) throw new Error(`no ${VALKEY_SCRIPT}: cannot build Valkey here`);
  const dir = execFileSync('bash', [VALKEY_SCRIPT], { encoding: 'utf8', timeout: 600_000 }).trim();
  return path.join(dir, 'valkey-server');
}
