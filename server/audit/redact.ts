import 'server-only';
import { currentConfig } from '../collect/pollers';
import type { ResolvedConfig } from '../config/load';
import { SECRET_KEY } from './bounds';

export const REDACTED = '[redacted]';
/** Shorter secrets are redacted only where they are a whole value: as substrings they would eat ordinary words. */
const MIN_SUBSTRING = 4;
const MAX_SUBMITTED = 32;

const byConfig = new WeakMap<ResolvedConfig, string[]>();

/** Every secret the config holds: cluster passwords, kiosk and metrics tokens, the session secret, password hashes. */
export function configuredSecrets(config: ResolvedConfig): string[] {
  let secrets = byConfig.get(config);
  if (!secrets) {
    secrets = [
      ...config.clusters.map((c) => c.password),
      config.kioskToken,
      config.metricsToken,
      config.sessionSecret,
      ...config.users.map((u) => u.passwordHash),
    ].filter((s): s is string => typeof s === 'string' && s.length > 0);
    byConfig.set(config, secrets);
  }
  return secrets;
}

function strings(value: unknown, found: string[], depth: number): void {
  if (found.length >= MAX_SUBMITTED || depth > 4) return;
  if (typeof value === 'string') {
    if (value) found.push(value);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) strings(v, found, depth + 1);
  }
}

/** What a request body carried under secret-looking keys, at any depth (a login's password, a token under "apiAuth"). */
export function submittedSecrets(raw: unknown, found: string[] = [], depth = 0): string[] {
  if (raw === null || typeof raw !== 'object' || depth > 4) return found;
  for (const [key, value] of Object.entries(raw)) {
    if (found.length >= MAX_SUBMITTED) break;
    if (SECRET_KEY.test(key)) strings(value, found, depth + 1);
    else submittedSecrets(value, found, depth + 1);
  }
  return found;
}

/** Replaces every occurrence of every secret in a text with "[redacted]", longest secret first. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const list = [...new Set(secrets)].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of list) {
      if (secret.length < MIN_SUBSTRING) {
        if (out === secret) return REDACTED;
      } else if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  };
}

/**
 * The name a login attempt is recorded under: a configured user's name, else a placeholder. A name that is no
 * user's is often a password typed into the wrong field, and the log keeps no copy of it.
 */
export function loginNameForAudit(name: string, config: ResolvedConfig = currentConfig()): string {
  return config.users.some((u) => u.name === name) ? name : '(unknown user name)';
}
