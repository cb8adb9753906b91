import 'server-only';
import { startPollers } from './collect/pollers';
import { ConfigError } from './config/load';
import { watchConfig } from './config/reload';
import { refreshInterruptedReshards } from './ops/interruptedReshards';

/** Called once per server process: a bad config stops start-up with the field path and the reason. */
export function startServer(): void {
  try {
    const { config } = startPollers();
    console.log(
      `[dashboard] config ${config.path}: polling ${config.clusters.map((c) => c.id).join(', ')}; reloaded on SIGHUP and when the file changes`,
    );
    watchConfig(config.path);
    void refreshInterruptedReshards();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
