import 'server-only';
import { startMemoryLog } from './bench/memoryLog';
import { startPollers } from './collect/pollers';
import { ConfigError } from './config/load';
import { watchConfig } from './config/reload';
import { FRONT_NONCE_ENV } from './http/peer';
import { refreshInterruptedReshards } from './ops/interruptedReshards';

/** Called once per server process: a bad config stops start-up with the field path and the reason. */
export function startServer(): void {
  // In production the client address comes only from our own entry (.next/standalone/server.js). Started any other
  // way (`next start`, Next's own next-server.js), every client would be "unknown": one login throttle for everyone.
  if (process.env.NODE_ENV === 'production' && !process.env[FRONT_NONCE_ENV]) {
    console.error(
      '[dashboard] started without its own entry, so no client address is known: run `npm start` or `node .next/standalone/server.js`',
    );
    process.exit(2);
  }
  try {
    const { config } = startPollers();
    console.log(
      `[dashboard] config ${config.path}: polling ${config.clusters.map((c) => c.id).join(', ')}; reloaded on SIGHUP and when the file changes`,
    );
    watchConfig(config.path);
    startMemoryLog();
    void refreshInterruptedReshards();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
