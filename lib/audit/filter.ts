import type { AuditEntry } from '../api/types';

export const AUDIT_RESULTS = ['ok', 'refused', 'failed'] as const;

/** What the audit page narrows its entries to: one result, and text found in user, role, action, cluster or address. */
export interface AuditFilter {
  result?: AuditEntry['result'];
  text?: string;
}

/** From the page's query string; anything unknown is no filter. */
export function auditFilterOf(params: Record<string, string | string[] | undefined>): AuditFilter {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const result = AUDIT_RESULTS.find((r) => r === one(params.result));
  const text = one(params.q)?.trim().slice(0, 100);
  return { ...(result ? { result } : {}), ...(text ? { text } : {}) };
}

export function filterAudit(entries: readonly AuditEntry[], filter: AuditFilter): AuditEntry[] {
  const needle = filter.text?.toLowerCase();
  return entries.filter(
    (e) =>
      (!filter.result || e.result === filter.result) &&
      (!needle ||
        [e.user, e.role, e.action, e.cluster ?? '', e.ip ?? ''].some((field) => field.toLowerCase().includes(needle))),
  );
}
