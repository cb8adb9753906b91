import 'server-only';
import path from 'node:path';
import { ConfigError, type ResolvedConfig } from '../config/load';
import { DATABASE_FILE, openDatabase, setDatabase } from './database';
import { DataDirError, type DataDirSetup, prepareDataDir } from './dataDir';
import { pruneHistoryMinutes } from './historyMinutes';
import { interruptOrphanedJobs } from './jobs';
import { settleOperationLocks } from './operationLock';
import { pruneRevocations } from './revocations';

/**
 * Opens the store in the configured data folder, once per server process, before any poller or request uses it:
 * jobs left running by a dashboard that stopped become `interrupted`, locks nothing holds are released, expired
 * revocations pruned. A data folder that cannot be used stops start-up naming `dataDir` (ConfigError).
 */
export function openStore(config: Pick<ResolvedConfig, 'path' | 'dataDir'>): void {
  let folder: DataDirSetup;
  try {
    folder = prepareDataDir(config.dataDir);
  } catch (err) {
    if (err instanceof DataDirError) throw new ConfigError(config.path, [`dataDir: ${err.message}`]);
    throw err;
  }
  const file = path.join(config.dataDir, DATABASE_FILE);
  try {
    setDatabase(openDatabase(file));
  } catch (err) {
    throw new ConfigError(config.path, [`dataDir: cannot open the database ${file}: ${(err as Error).message}`]);
  }
  const interrupted = interruptOrphanedJobs();
  const locks = settleOperationLocks();
  pruneRevocations();
  pruneHistoryMinutes();
  if (folder.narrowedFrom)
    console.warn(
      `[store] data folder ${config.dataDir} was mode ${folder.narrowedFrom}: narrowed to 0700 (it holds job history and session revocations)`,
    );
  console.log(`[store] ${folder.created ? 'created ' : ''}data folder ${config.dataDir} (mode 0700), database ${file}`);
  for (const job of interrupted)
    console.warn(
      `[store] ${job.kind} job ${job.id} on ${job.clusterId} was running when the dashboard stopped: now interrupted${job.openSlots?.length ? ` with ${job.openSlots.length} open slot(s)` : ''}`,
    );
  for (const lock of locks)
    console.warn(`[store] ${lock.clusterId}: operation lock still held by ${lock.kind} job ${lock.jobId}`);
}
