import 'server-only';
import type { AuditEntry, AuditRead } from '@/lib/api/types';
import { clientKey } from '@/lib/net/ip';
import { currentConfig } from '../collect/pollers';
import type { ResolvedConfig } from '../config/load';
import { boundedParams, capText, MAX_REASON } from './bounds';
import { appendWithRotation } from './files';
import { type AuditExport, openAuditExport, readAuditFiles } from './read';
import { configuredSecrets, redactor } from './redact';
import { RefusalBudget, type Suppressed } from './refusals';

/** Past this, a line loses its params and most targets (bounded fields keep real lines far below it). */
const MAX_LINE_BYTES = 8 * 1024;
const REFUSALS_PER_CLIENT = 30;
const REFUSALS_OVERALL = 300;
const REFUSAL_WINDOW_MS = 60_000;

export type AuditInput = Omit<AuditEntry, 'at'> & { at?: string };

export interface AuditOptions {
  /** Secrets this request carried (a login's password, values under secret-looking keys): redacted wherever seen. */
  secrets?: readonly string[];
}

// On globalThis: Next may load this module once per route bundle, and appends and rotation must stay one queue.
const KEY = Symbol.for('redis-cluster-dashboard.audit');
interface AuditState {
  queue: Promise<void>;
  refusals: RefusalBudget;
  sweeper?: ReturnType<typeof setInterval>;
}
type Holder = { [KEY]?: AuditState };
function state(): AuditState {
  const holder = globalThis as Holder;
  holder[KEY] ??= {
    queue: Promise.resolve(),
    refusals: new RefusalBudget(REFUSALS_PER_CLIENT, REFUSALS_OVERALL, REFUSAL_WINDOW_MS),
  };
  return holder[KEY];
}

/**
 * The line as written: every string redacted by value (each configured secret and each submitted one, anywhere in
 * it), then cut; params and targets capped; never more than MAX_LINE_BYTES.
 */
export function auditLine(entry: AuditInput, secrets: readonly string[]): string {
  const clean = redactor(secrets);
  const text = (value: string, max?: number) => capText(clean(value), max);
  const bounded: AuditEntry = {
    at: entry.at ?? new Date().toISOString(),
    user: text(entry.user),
    role: text(entry.role),
    action: text(entry.action),
    result: entry.result,
    status: entry.status,
    ...(entry.cluster !== undefined ? { cluster: text(entry.cluster) } : {}),
    ...(entry.targets ? { targets: boundedParams(entry.targets, clean) as string[] } : {}),
    ...(entry.params ? { params: boundedParams(entry.params, clean) as Record<string, unknown> } : {}),
    ...(entry.reason !== undefined ? { reason: text(entry.reason, MAX_REASON) } : {}),
    durationMs: entry.durationMs,
    ...(entry.ip !== undefined ? { ip: text(entry.ip, 64) } : {}),
  };
  let line = JSON.stringify(bounded);
  if (Buffer.byteLength(line) > MAX_LINE_BYTES) {
    line = JSON.stringify({
      ...bounded,
      ...(bounded.targets ? { targets: [...bounded.targets.slice(0, 4), `(${bounded.targets.length} in all)`] } : {}),
      params: { omitted: `over ${MAX_LINE_BYTES} bytes` },
    });
  }
  return `${line}\n`;
}

function enqueue(config: ResolvedConfig, line: string): Promise<void> {
  const s = state();
  s.queue = s.queue
    .then(() => appendWithRotation(config.auditLogPath, line, config.auditMaxBytes, config.auditKeepFiles))
    .catch((err: unknown) => console.error('[audit] could not append to the audit log:', (err as Error).message));
  return s.queue;
}

/** Appends one line; lines never interleave, and a failing disk never fails the request it records. */
export function audit(entry: AuditInput, options: AuditOptions = {}): Promise<void> {
  // The secrets come from the config of this moment: a reloaded config brings its own.
  const config = currentConfig();
  return enqueue(config, auditLine(entry, [...configuredSecrets(config), ...(options.secrets ?? [])]));
}

function summaryEntry(s: Suppressed): AuditInput {
  const window = `between ${new Date(s.since).toISOString()} and ${new Date(s.until).toISOString()}`;
  return {
    user: 'anonymous',
    role: 'none',
    action: 'audit.suppressed',
    result: 'refused',
    status: s.status,
    reason:
      s.ip === undefined
        ? `${s.count} more refused attempts suppressed (over ${REFUSALS_OVERALL} a minute from all clients) ${window}`
        : `${s.count} more refused attempts from ${s.ip} suppressed ${window}`,
    params: { suppressed: s.count, actions: s.actions },
    durationMs: 0,
    ...(s.ip !== undefined ? { ip: s.ip } : {}),
  };
}

function writeSummaries(summaries: Suppressed[]): void {
  for (const summary of summaries) void audit(summaryEntry(summary));
}

/**
 * A line of a caller that is not a logged-in user (wrong password, wrong kiosk token, no session, a kiosk screen): at most
 * REFUSALS_PER_CLIENT lines per client a minute, the rest summed up in one line when the minute is over.
 */
export function auditRefusal(entry: AuditInput, options: AuditOptions = {}): Promise<void> {
  const s = state();
  const { write, summaries } = s.refusals.admit(
    clientKey(entry.ip ?? 'unknown'),
    entry.action,
    entry.status,
    Date.now(),
  );
  writeSummaries(summaries);
  if (!s.sweeper) {
    s.sweeper = setInterval(() => writeSummaries(s.refusals.due(Date.now())), REFUSAL_WINDOW_MS);
    s.sweeper.unref();
  }
  return write ? audit(entry, options) : s.queue;
}

/** Throws AuditLogUnreadable when a file exists but cannot be read; a missing log is an empty one. */
export async function readAudit(limit: number): Promise<AuditRead> {
  await state().queue;
  const config = currentConfig();
  return readAuditFiles(config.auditLogPath, config.auditKeepFiles, limit);
}

export async function auditExport(): Promise<AuditExport> {
  await state().queue;
  const config = currentConfig();
  return openAuditExport(config.auditLogPath, config.auditKeepFiles);
}
