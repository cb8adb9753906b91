import path from 'node:path';
import { expect } from '@playwright/test';
import type { Job } from '../../lib/jobs/types';
import { waitFor } from '../../scripts/test/helpers';
import { type ServerRun, type Stack, startServer, type UserRole, waitForHttp } from './stack';

/**
 * The stack's dashboard, stopped (SIGTERM, or SIGKILL: no chance to write anything) and started again on the same
 * data folder, as often as a spec needs; with the calls a spec makes to whichever process runs now.
 */
export class RestartableDashboard {
  /** The base URL of the dashboard running now (each start gets a port of its own). */
  base: string;
  private current: { child: ServerRun['child']; exited: Promise<number | null> };
  private readonly runs: ServerRun[] = [];

  constructor(private readonly stack: Stack) {
    this.base = stack.baseURL;
    this.current = { child: stack.server, exited: new Promise((resolve) => stack.server.once('exit', resolve)) };
  }

  /** The log file of the latest restart. */
  get lastLogPath(): string {
    return path.join(this.stack.dir, `restart-${this.runs.length - 1}.log`);
  }

  async restart(signal: 'SIGTERM' | 'SIGKILL', configPath = this.stack.configPath): Promise<void> {
    this.current.child.kill(signal);
    await this.current.exited;
    const run = await startServer(
      configPath,
      path.join(this.stack.dir, `restart-${this.runs.length}.log`),
      this.stack.env,
    );
    this.runs.push(run);
    this.current = run;
    this.base = run.baseURL;
    await waitForHttp(`${this.base}/api/health`, (r) => r.status === 200);
  }

  /** A session cookie for the user of that role. */
  async login(role: UserRole): Promise<string> {
    const response = await fetch(`${this.base}/api/auth/login`, {
      method: 'POST',
      headers: { origin: this.base, 'content-type': 'application/json' },
      body: JSON.stringify({ username: role, password: this.stack.passwords[role] }),
    });
    expect(response.status).toBe(204);
    return response.headers.get('set-cookie')?.split(';')[0] ?? '';
  }

  /** GET without a body, POST with one. */
  call(cookie: string, url: string, body?: unknown): Promise<Response> {
    return fetch(`${this.base}${url}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { cookie, origin: this.base, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async getJson<T>(cookie: string, url: string): Promise<T> {
    const response = await this.call(cookie, url);
    expect(response.status, `GET ${url}`).toBe(200);
    return (await response.json()) as T;
  }

  jobOnceEnded<J extends Job = Job>(cookie: string, jobId: string, timeoutMs = 45_000): Promise<J> {
    return waitFor(
      `job ${jobId} to end`,
      async () => {
        const job = await this.getJson<J>(cookie, `/api/jobs/${jobId}`);
        return job.state === 'running' ? undefined : job;
      },
      timeoutMs,
      200,
    );
  }

  /** Stops the restarted processes (the stack stops its own first one). */
  async stop(): Promise<void> {
    for (const run of this.runs) {
      if (run.child.exitCode !== null || run.child.signalCode !== null) continue;
      run.child.kill('SIGTERM');
      const timer = setTimeout(() => run.child.kill('SIGKILL'), 5000);
      await run.exited;
      clearTimeout(timer);
    }
  }
}
