import 'server-only';

const HOST_SHOWN_MAX = 100;
const LOG_EVERY_MS = 60_000;
const LOGGED_HOSTS_MAX = 256;

/** The host as received, safe to echo: printable ASCII only, at most 100 characters. */
export function shownHost(host: string | undefined): string {
  if (!host) return '(no Host header)';
  const printable = host.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > HOST_SHOWN_MAX ? `${printable.slice(0, HOST_SHOWN_MAX)}...` : printable;
}

/** Why a request was refused with 421, naming the host received and the fix. */
export function misdirectedReason(host: string | undefined): string {
  return (
    `this dashboard does not serve host "${shownHost(host)}". If that is how users reach it, add it to ` +
    '"allowedHosts" in the config (the list replaces the default, so keep "127.0.0.1" and "localhost" for local checks).'
  );
}

const lastLogged = new Map<string, number>();

/**
 * The server log says which host was refused, once per host per minute: a scanner or a misconfigured proxy cannot
 * flood it, and the map never holds more than 256 hosts.
 */
export function logMisdirected(host: string | undefined, now = Date.now()): boolean {
  const shown = shownHost(host);
  const last = lastLogged.get(shown);
  if (last !== undefined && now - last < LOG_EVERY_MS) return false;
  if (last === undefined && lastLogged.size >= LOGGED_HOSTS_MAX) {
    for (const [key, at] of lastLogged) if (now - at >= LOG_EVERY_MS) lastLogged.delete(key);
    if (lastLogged.size >= LOGGED_HOSTS_MAX) return false;
  }
  lastLogged.delete(shown);
  lastLogged.set(shown, now);
  console.warn(`[dashboard] 421 for host "${shown}": not in allowedHosts`);
  return true;
}
