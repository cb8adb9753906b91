import type { HaproxyServer } from './types';

/**
 * HAProxy's `show stat` / `;csv` export: a header line "# pxname,svname,…" then one line per proxy row. Read by column
 * name (the column set grows with HAProxy versions), defensively: no header or garbage gives no rows, never a throw.
 */
export function parseStatCsv(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/);
  const headerAt = lines.findIndex((l) => /^#\s*pxname,svname,/.test(l));
  if (headerAt === -1) return [];
  const columns = (lines[headerAt] ?? '').replace(/^#\s*/, '').split(',');
  const rows: Record<string, string>[] = [];
  for (const line of lines.slice(headerAt + 1)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const cells = line.split(',');
    if (cells.length < 2) continue;
    const row: Record<string, string> = {};
    columns.forEach((name, i) => {
      if (name) row[name] = cells[i] ?? '';
    });
    rows.push(row);
  }
  return rows;
}

function num(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Routed: the server is UP (or has no check) and is not a backup; "UP 1/3" (going down) still takes traffic. */
export function isRouted(status: string, backup: boolean): boolean {
  return !backup && (/^UP\b/.test(status) || status === 'no check');
}

/** The servers and BACKEND row of one backend (pxname), from the stats rows. */
export function backendServers(
  rows: readonly Record<string, string>[],
  backend: string,
): { backendStatus?: string; servers: HaproxyServer[]; found: boolean } {
  const mine = rows.filter((r) => r.pxname === backend);
  const status = mine.find((r) => r.svname === 'BACKEND')?.status;
  const servers = mine
    .filter((r) => r.svname && r.svname !== 'BACKEND' && r.svname !== 'FRONTEND')
    .map((r): HaproxyServer => {
      const serverStatus = (r.status ?? '').trim() || 'unknown';
      // "bck" is 1 for a backup server; "act" 1 for an active one.
      const backup = r.bck === '1';
      const server: HaproxyServer = {
        name: r.svname ?? '',
        status: serverStatus,
        routed: isRouted(serverStatus, backup),
        backup,
      };
      if (r.addr) server.addr = r.addr;
      if (r.check_status) server.checkStatus = r.check_status;
      if (r.check_desc) server.checkDesc = r.check_desc;
      const sessions = num(r.scur);
      if (sessions !== undefined) server.sessions = sessions;
      const total = num(r.stot);
      if (total !== undefined) server.totalSessions = total;
      const lastchg = num(r.lastchg);
      if (lastchg !== undefined) server.lastChangeSeconds = lastchg;
      return server;
    });
  return { ...(status ? { backendStatus: status } : {}), servers, found: mine.length > 0 };
}
