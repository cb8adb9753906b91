import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { parseStatCsv } from '../../lib/sentinel/haproxyCsv';
import { waitFor } from '../devcluster/cluster';
import { freeNodePort } from '../devcluster/ports';
import { isRunning, spawnTracked, stopTracked, type TrackedProcess } from './tracked';

export interface HaproxySpec {
  host: string;
  /** Its own dir: haproxy.cfg, haproxy.sock and haproxy.log live there. */
  dir: string;
  /** The backend's name (pxname in the stats). */
  backend: string;
  /** The data nodes, "host:port"; their server lines are named n1, n2, … in this order. */
  servers: string[];
  /** The data nodes' password: the tcp-check AUTHs first. */
  password?: string;
  /** The check line's timing. */
  checkInterMs: number;
  fall: number;
  rise: number;
  haproxyBin: string;
  /** A `comment "…"` on the tcp-check's connect and role:master steps (HAProxy puts it in last_chk; no double quotes). */
  checkComment?: string;
}

/** One row of `show stat` (the CSV fields this harness reads). */
export interface HaproxyStatRow {
  pxname: string;
  svname: string;
  status: string;
  addr: string;
}

const escapeSpaces = (s: string) => s.replaceAll('\\', '\\\\').replaceAll(' ', '\\ ');

function haproxyConfig(spec: HaproxySpec, frontendPort: number, statsPort: number): string {
  const auth = spec.password
    ? [`  tcp-check send AUTH\\ ${escapeSpaces(spec.password)}\\r\\n`, '  tcp-check expect string +OK']
    : [];
  const comment = spec.checkComment ? ` comment "${spec.checkComment.replaceAll('"', '')}"` : '';
  const check = `check inter ${spec.checkInterMs}ms fall ${spec.fall} rise ${spec.rise}`;
  return [
    'global',
    `  stats socket ${path.join(spec.dir, 'haproxy.sock')} mode 600 level admin`,
    '  maxconn 1024',
    'defaults',
    '  mode tcp',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    'frontend stats',
    '  mode http',
    `  bind ${spec.host}:${statsPort}`,
    '  stats enable',
    '  stats uri /stats',
    'frontend redis_in',
    `  bind ${spec.host}:${frontendPort}`,
    `  default_backend ${spec.backend}`,
    `backend ${spec.backend}`,
    '  option tcp-check',
    `  tcp-check connect${comment}`,
    ...auth,
    '  tcp-check send PING\\r\\n',
    '  tcp-check expect string +PONG',
    '  tcp-check send INFO\\ replication\\r\\n',
    `  tcp-check expect string role:master${comment}`,
    '  tcp-check send QUIT\\r\\n',
    '  tcp-check expect string +OK',
    ...spec.servers.map((addr, i) => `  server n${i + 1} ${addr} ${check}`),
    '',
  ].join('\n');
}

/** `show stat` on an admin socket, parsed. */
export function showStat(socketPath: string): Promise<HaproxyStatRow[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let text = '';
    socket.setEncoding('utf8');
    socket.setTimeout(2000, () => socket.destroy(new Error('show stat timed out')));
    socket.on('connect', () => socket.write('show stat\n'));
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      if (!text.startsWith('# ')) return reject(new Error(`unexpected show stat answer: ${text.slice(0, 80)}`));
      // Quote-aware: a field such as last_chk is quoted when it holds a comma (a tcp-check comment).
      resolve(
        parseStatCsv(text).map((r) => ({
          pxname: r.pxname ?? '',
          svname: r.svname ?? '',
          status: r.status ?? '',
          addr: r.addr ?? '',
        })),
      );
    });
  });
}

export class HaproxyGroupProcess {
  private proc: TrackedProcess;
  private servers: string[];

  private constructor(
    private readonly spec: HaproxySpec,
    readonly frontendPort: number,
    readonly statsPort: number,
    proc: TrackedProcess,
  ) {
    this.proc = proc;
    this.servers = spec.servers;
  }

  get host(): string {
    return this.spec.host;
  }
  get pid(): number {
    return this.proc.pid;
  }
  get dir(): string {
    return this.spec.dir;
  }
  get backend(): string {
    return this.spec.backend;
  }
  /** Where clients connect: "host:port". */
  get frontendAddr(): string {
    return `${this.spec.host}:${this.frontendPort}`;
  }
  get statsSocket(): string {
    return path.join(this.spec.dir, 'haproxy.sock');
  }
  get statsUrl(): string {
    return `http://${this.spec.host}:${this.statsPort}/stats;csv`;
  }
  get cfgPath(): string {
    return path.join(this.spec.dir, 'haproxy.cfg');
  }
  /** The backend's servers as configured now, "host:port", named n1, n2, … in this order. */
  get serverAddrs(): string[] {
    return [...this.servers];
  }

  static async start(spec: HaproxySpec): Promise<HaproxyGroupProcess> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const frontendPort = await freeNodePort();
      const statsPort = await freeNodePort();
      try {
        const proc = await HaproxyGroupProcess.launch(spec, spec.servers, frontendPort, statsPort);
        return new HaproxyGroupProcess(spec, frontendPort, statsPort, proc);
      } catch (err) {
        lastError = err;
      }
    }
    throw lastError instanceof Error ? lastError : new Error('haproxy did not start');
  }

  private static async launch(
    spec: HaproxySpec,
    servers: string[],
    frontendPort: number,
    statsPort: number,
  ): Promise<TrackedProcess> {
    const cfg = path.join(spec.dir, 'haproxy.cfg');
    await writeFile(cfg, haproxyConfig({ ...spec, servers }, frontendPort, statsPort));
    const log = path.join(spec.dir, 'haproxy.log');
    const proc = spawnTracked('bash', ['-c', `exec "$0" -f "$1" -db >"$2" 2>&1`, spec.haproxyBin, cfg, log], spec.dir);
    try {
      await waitFor(
        'haproxy to answer on its stats socket',
        async () => {
          if (!isRunning(proc)) throw new Error('haproxy exited');
          return (await showStat(path.join(spec.dir, 'haproxy.sock'))).length > 0 ? true : undefined;
        },
        10_000,
        50,
      );
      return proc;
    } catch (err) {
      await stopTracked(proc, 500);
      const text = await readFile(log, 'utf8').catch(() => '');
      throw new Error(`haproxy did not start: ${text.trim().split('\n').slice(-3).join(' | ') || String(err)}`);
    }
  }

  /** The backend's server rows (not FRONTEND/BACKEND), from the stats socket. */
  async serverStats(): Promise<HaproxyStatRow[]> {
    const rows = await showStat(this.statsSocket);
    return rows.filter((r) => r.pxname === this.spec.backend && r.svname !== 'FRONTEND' && r.svname !== 'BACKEND');
  }

  /** The addresses HAProxy routes to now: the backend's servers whose check is UP. */
  async upServers(): Promise<string[]> {
    return (await this.serverStats()).filter((r) => r.status.startsWith('UP')).map((r) => r.addr);
  }

  /**
   * Rewrite the backend's server lines and restart HAProxy on the same ports (stop, then start: clients through the
   * frontend are disconnected once, as on a real restart). Returns once the stats socket answers again; the checks
   * need `rise` intervals before a server is UP.
   */
  async setServers(addrs: string[]): Promise<void> {
    await stopTracked(this.proc);
    this.proc = await HaproxyGroupProcess.launch(this.spec, addrs, this.frontendPort, this.statsPort);
    this.servers = [...addrs];
  }

  isRunning(): boolean {
    return isRunning(this.proc);
  }

  async stop(): Promise<void> {
    await stopTracked(this.proc);
  }
}
