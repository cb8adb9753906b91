import 'server-only';
import { createHash } from 'node:crypto';
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import path from 'node:path';
import { audit } from '../audit/log';
import { applyConfig, currentConfig, type PollerSync } from '../collect/pollers';
import { ConfigError, type Env, loadConfig, type ResolvedConfig } from './load';
import { planReload, type ReloadPlan } from './reloadPlan';

export type ReloadTrigger = 'SIGHUP' | 'file change' | 'cluster added';

export type ReloadOutcome = { applied: true; plan: ReloadPlan } | { applied: false; problems: string[] };

/** Editors write a file in several steps (truncate, write, rename): read it once they are done. */
export const RELOAD_DEBOUNCE_MS = 300;

/**
 * Reads the config file again and validates it. A valid one runs from the next request on (users, roles, tokens,
 * origins) and its clusters are polled as it says; an invalid one changes nothing. The session secret (environment),
 * DASHBOARD_READ_ONLY and dataDir stay as the process started.
 */
export function loadReload(current: ResolvedConfig, env: Env = process.env): ReloadOutcome {
  try {
    const next = loadConfig({ ...env, DASHBOARD_CONFIG: current.path }, { sessionSecret: current.sessionSecret });
    return { applied: true, plan: planReload(current, next) };
  } catch (err) {
    if (err instanceof ConfigError) return { applied: false, problems: err.problems };
    // Not a message: nothing read from the file may reach the log unchecked.
    return { applied: false, problems: [`(file): could not be loaded (${(err as Error).name})`] };
  }
}

export type ReloadResult =
  | { applied: true; plan: ReloadPlan; sync: PollerSync }
  | { applied: false; problems: string[] };

/** A reload from a signal or a timer: whatever goes wrong is logged, never thrown into the process. */
function reloadSafely(trigger: ReloadTrigger): void {
  try {
    reloadConfig(trigger);
  } catch (err) {
    console.error(`[dashboard] config reload (${trigger}) failed:`, err);
  }
}

/** Reloads the config now and logs one line of what changed (or why nothing did). */
export function reloadConfig(trigger: ReloadTrigger): ReloadResult {
  const started = Date.now();
  const current = currentConfig();
  const outcome = loadReload(current);
  // The audit log says who could do what from when: a reload (users, roles, tokens) is a change like any other.
  const record = (result: 'ok' | 'failed', detail: Record<string, unknown>, reason?: string) =>
    void audit({
      user: 'system',
      role: 'none',
      action: 'config.reload',
      result,
      status: result === 'ok' ? 200 : 400,
      params: { trigger, ...detail },
      ...(reason ? { reason } : {}),
      durationMs: Date.now() - started,
    });
  if (!outcome.applied) {
    record('failed', {}, `invalid config, the running one stays: ${outcome.problems.join('; ')}`);
    console.error(
      `[dashboard] config not reloaded (${trigger}): ${current.path} is invalid; the running config stays (a restart would stop at start-up, exit 2):\n${outcome.problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    return outcome;
  }
  const sync = applyConfig(outcome.plan.config);
  const deferred = sync.deferred.length
    ? `; ${sync.deferred.join(', ')} keep${sync.deferred.length === 1 ? 's' : ''} the old settings until the job running on it ends`
    : '';
  console.log(`[dashboard] config reloaded (${trigger}): ${outcome.plan.summary}${deferred}`);
  record('ok', { changes: `${outcome.plan.summary}${deferred}` });
  for (const note of outcome.plan.notes) console.warn(`[dashboard] config: ${note}`);
  return { ...outcome, sync };
}

function digestOf(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(/*turbopackIgnore: true*/ file)).digest('hex');
  } catch {
    // Mid-rename or removed: the next event tells when it is back.
    return undefined;
  }
}

const KEY = Symbol.for('redis-cluster-dashboard.config-watch');
type Holder = { [KEY]?: { watcher?: FSWatcher; onSignal: () => void } };

/**
 * Reloads on SIGHUP, and when the file's content changes. The folder is watched, not the file: editors and config
 * managers replace a file by renaming a new one over it, and a watch on the old file would see nothing after that.
 * Once per process.
 */
const MISSING = '(missing)';

export function watchConfig(file: string): void {
  const holder = globalThis as Holder;
  if (holder[KEY]) return;
  // The content last read (applied or refused): the same content twice is not reloaded twice.
  let seen = digestOf(file);
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    timer = undefined;
    const digest = digestOf(file);
    if (digest === undefined) {
      // Removed (not mid-rename: a rename lands within the debounce). Said once until it is back.
      if (seen !== MISSING)
        console.warn(
          `[dashboard] config: ${file} is gone; the running config stays, but a restart would stop at start-up (exit 2)`,
        );
      seen = MISSING;
      return;
    }
    if (digest === seen) return;
    seen = digest;
    reloadSafely('file change');
  };
  const onSignal = () => {
    seen = digestOf(file) ?? seen;
    reloadSafely('SIGHUP');
  };
  process.on('SIGHUP', onSignal);
  let watcher: FSWatcher | undefined;
  try {
    // Only events for the config file's own name count (the audit log often shares the folder and is written all the
    // time), and the check runs RELOAD_DEBOUNCE_MS after the first of a burst, so a stream of events cannot hold it off.
    const name = path.basename(file);
    watcher = watch(/*turbopackIgnore: true*/ path.dirname(file), (_event, filename) => {
      if (filename !== null && filename.toString() !== name) return;
      if (timer === undefined) timer = setTimeout(check, RELOAD_DEBOUNCE_MS);
    });
    watcher.on('error', (err) =>
      console.warn(`[dashboard] config: watching ${path.dirname(file)} failed (${err.message}); reload with SIGHUP`),
    );
    watcher.unref();
  } catch (err) {
    console.warn(
      `[dashboard] config: cannot watch ${path.dirname(file)} (${(err as NodeJS.ErrnoException).code}); reload with SIGHUP`,
    );
  }
  holder[KEY] = { watcher, onSignal };
}

/** Stops watching (tests). */
export function unwatchConfig(): void {
  const holder = globalThis as Holder;
  const watching = holder[KEY];
  if (!watching) return;
  watching.watcher?.close();
  process.off('SIGHUP', watching.onSignal);
  delete holder[KEY];
}
