// Spawns the built standalone dashboard (used by the demo and the e2e tests).
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const SERVER_JS = path.resolve('.next/standalone/server.js');

export interface DashboardProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  baseURL: string;
}

export function spawnDashboard(options: {
  configPath: string;
  port: number;
  env?: Record<string, string>;
  stdio?: StdioOptions;
}): DashboardProcess {
  if (!existsSync(SERVER_JS)) throw new Error('no standalone build: run `npm run build` first');
  const child = spawn(process.execPath, [SERVER_JS], {
    env: {
      ...process.env,
      PORT: String(options.port),
      HOSTNAME: '127.0.0.1',
      NEXT_TELEMETRY_DISABLED: '1',
      DASHBOARD_CONFIG: options.configPath,
      ...options.env,
    },
    stdio: options.stdio ?? 'inherit',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, baseURL: `http://127.0.0.1:${options.port}` };
}
