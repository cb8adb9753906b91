import 'server-only';
import { createConnection } from 'node:net';
import { backendServers, parseStatCsv } from '@/lib/sentinel/haproxyCsv';
import type { HaproxyView } from '@/lib/sentinel/types';
import type { ResolvedSentinel } from '../config/load';

/** The stats text at most (a stats page of thousands of servers is a few MB; beyond that something is wrong). */
const MAX_STATS_BYTES = 8 * 1024 * 1024;

/** `show stat` on HAProxy's stats socket: it answers and closes (non-interactive mode). */
function showStat(socketPath: string, deadlineMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const socket = createConnection(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete reply from ${socketPath} within ${deadlineMs} ms`));
    }, deadlineMs);
    socket.on('connect', () => socket.write('show stat\n'));
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_STATS_BYTES) {
        socket.destroy();
        clearTimeout(timer);
        reject(new Error(`the stats reply exceeds ${MAX_STATS_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** GET of the stats page's CSV; credentials in the URL are sent as Basic auth (fetch refuses them in the URL). */
async function statsCsv(url: string, deadlineMs: number): Promise<string> {
  const parsed = new URL(url);
  const headers: Record<string, string> = {};
  if (parsed.username || parsed.password) {
    const user = decodeURIComponent(parsed.username);
    const pass = decodeURIComponent(parsed.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
  }
  const response = await fetch(parsed, { headers, signal: AbortSignal.timeout(deadlineMs), redirect: 'error' });
  if (!response.ok) throw new Error(`the stats page answered HTTP ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_STATS_BYTES) throw new Error(`the stats reply exceeds ${MAX_STATS_BYTES} bytes`);
  return text;
}

/** A URL's text without its credentials, for error messages. */
function scrub(message: string, deployment: ResolvedSentinel): string {
  const url = deployment.haproxy?.statsUrl;
  if (!url) return message;
  const parsed = new URL(url);
  let out = message;
  for (const secret of [parsed.password, parsed.username]) if (secret) out = out.split(secret).join('***');
  return out.replace(/\s+/g, ' ').slice(0, 300);
}

/** HAProxy's view of the configured backend; undefined when no haproxy is configured. Never throws. */
export async function readHaproxy(deployment: ResolvedSentinel): Promise<HaproxyView | undefined> {
  const haproxy = deployment.haproxy;
  if (!haproxy) return undefined;
  const source: HaproxyView['source'] = haproxy.statsSocket ? 'socket' : 'url';
  try {
    const text = haproxy.statsSocket
      ? await showStat(haproxy.statsSocket, deployment.nodeDeadlineMs)
      : await statsCsv(haproxy.statsUrl ?? '', deployment.nodeDeadlineMs);
    const rows = parseStatCsv(text);
    if (rows.length === 0)
      return { backend: haproxy.backend, source, reachable: false, error: 'no stats rows in the reply', servers: [] };
    const { backendStatus, servers, found } = backendServers(rows, haproxy.backend);
    return {
      backend: haproxy.backend,
      source,
      reachable: true,
      ...(found ? {} : { error: `no backend "${haproxy.backend}" in HAProxy's stats` }),
      ...(backendStatus ? { backendStatus } : {}),
      servers,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { backend: haproxy.backend, source, reachable: false, error: scrub(message, deployment), servers: [] };
  }
}
