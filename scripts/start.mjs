// Runs the built standalone server: PORT (default 3000), HOSTNAME (default 127.0.0.1), DASHBOARD_CONFIG as given.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const server = path.resolve('.next/standalone/server.js');
if (!existsSync(server)) {
  console.error('no build found: run `npm run build` first');
  process.exit(1);
}
const env = {
  ...process.env,
  PORT: process.env.PORT ?? '3000',
  HOSTNAME: process.env.HOSTNAME_BIND ?? '127.0.0.1',
  NEXT_TELEMETRY_DISABLED: '1',
  DASHBOARD_CONFIG: path.resolve(process.env.DASHBOARD_CONFIG ?? 'dashboard.config.json'),
};
const child = spawn(process.execPath, [server], { env, stdio: 'inherit' });
// SIGHUP reloads the config in the server (see README); the others stop it.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
