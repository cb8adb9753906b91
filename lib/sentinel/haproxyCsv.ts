import type { HaproxyServer } from './types';

/**
 * CSV records as RFC 4180 reads them: a field may be in double quotes and then hold commas, newlines and "" for a quote
 * (HAProxy quotes a field such as last_chk when it holds a comma, e.g. a tcp-check comment "connect, then role").
 */
export function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/**
 * HAProxy's `show stat` / `;csv` export: a header line "# pxname,svname,…" then one line per proxy row. Read by column
 * name (the column set grows with HAProxy versions), defensively: no header or garbage gives no rows, never a throw.
 */
export function parseStatCsv(text: string): Record<string, string>[] {
  const records = csvRecords(text);
  const headerAt = records.findIndex((r) => /^#\s*pxname$/.test(r[0] ?? '') && r[1] === 'svname');
  if (headerAt === -1) return [];
  const columns = (records[headerAt] ?? []).map((name, i) => (i === 0 ? 'pxname' : name));
  const rows: Record<string, string>[] = [];
  for (const cells of records.slice(headerAt + 1)) {
    if (cells.length < 2 || (cells[0] ?? '').startsWith('#')) continue;
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

/** Operational: the server is UP (or has no check); "UP 1/3" (going down) still takes traffic, NOLB/DRAIN/MAINT do not. */
export function isOperational(status: string): boolean {
  return /^UP\b/.test(status) || status === 'no check';
}

/**
 * Where HAProxy sends new connections: every operational active server; when none is, the first operational backup (in
 * the backend's order, as the stats list it). With `option allbackups` HAProxy uses every operational backup instead;
 * the stats do not say whether it is set, so the others are marked `allbackupsRouted` (routed only with that option).
 */
function markRouted(servers: HaproxyServer[]): HaproxyServer[] {
  const active = servers.filter((s) => !s.backup && isOperational(s.status));
  if (active.length) return servers.map((s) => ({ ...s, routed: active.includes(s) }));
  const backups = servers.filter((s) => s.backup && isOperational(s.status));
  return servers.map((s) => {
    if (s === backups[0]) return { ...s, routed: true };
    if (backups.includes(s)) return { ...s, routed: false, allbackupsRouted: true };
    return { ...s, routed: false };
  });
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
        routed: false,
        backup,
      };
      if (r.addr) server.addr = r.addr;
      if (r.check_status) server.checkStatus = r.check_status;
      // The check's own sentence (a tcp-check's "TCPCHK did not match content 'role:master' at step 5", its comment) is
      // in last_chk; check_desc is the fixed label of check_status ("Layer7 invalid response").
      const detail = r.last_chk || r.check_desc;
      if (detail) server.checkDesc = detail;
      const sessions = num(r.scur);
      if (sessions !== undefined) server.sessions = sessions;
      const total = num(r.stot);
      if (total !== undefined) server.totalSessions = total;
      const lastchg = num(r.lastchg);
      if (lastchg !== undefined) server.lastChangeSeconds = lastchg;
      return server;
    });
  return { ...(status ? { backendStatus: status } : {}), servers: markRouted(servers), found: mine.length > 0 };
}
