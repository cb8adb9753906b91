import 'server-only';
import { z } from 'zod';

// Every audit line has a bounded size, whatever a caller sent: strings, lists, objects and depth are all capped.
export const MAX_TEXT = 200;
export const MAX_REASON = 500;
const MAX_ITEMS = 16;
const MAX_KEYS = 32;
const MAX_DEPTH = 4;

/** Keys whose values are secret: dropped from params, and their values redacted everywhere in the line. */
export const SECRET_KEY = /pass|secret|token|hash|auth|credential/i;

export function capText(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Params for the audit line: secret-looking keys dropped, strings cut, lists and objects capped (the rest counted),
 * deep nesting cut. `clean` runs on every string before it is cut (the redaction by value).
 */
export function boundedParams(value: unknown, clean: (text: string) => string = (t) => t, depth = 0): unknown {
  if (typeof value === 'string') return capText(clean(value));
  if (depth >= MAX_DEPTH && value !== null && typeof value === 'object') return '…';
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_ITEMS).map((v) => boundedParams(v, clean, depth + 1));
    return value.length > MAX_ITEMS ? [...kept, `(+${value.length - MAX_ITEMS} more)`] : kept;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([key]) => !SECRET_KEY.test(key));
    const kept = entries
      .slice(0, MAX_KEYS)
      .map(([key, v]) => [capText(clean(key), 64), boundedParams(v, clean, depth + 1)] as const);
    return Object.fromEntries(
      entries.length > MAX_KEYS ? [...kept, ['(more keys)', entries.length - MAX_KEYS] as const] : kept,
    );
  }
  return value;
}

/** The top-level keys a body schema knows (objects, unions of objects, optional/default/pipe wrappers). */
export function schemaKeys(schema: z.ZodType): Set<string> {
  if (schema instanceof z.ZodObject) return new Set(Object.keys(schema.shape));
  if (schema instanceof z.ZodUnion) return new Set(schema.options.flatMap((o) => [...schemaKeys(o as z.ZodType)]));
  if (schema instanceof z.ZodIntersection)
    return new Set([...schemaKeys(schema.def.left as z.ZodType), ...schemaKeys(schema.def.right as z.ZodType)]);
  if (schema instanceof z.ZodPipe) return schemaKeys(schema.in as z.ZodType);
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodNullable)
    return schemaKeys(schema.def.innerType as z.ZodType);
  return new Set();
}

/** What a refused body looks like, without any of its values or unknown key names. */
export interface RejectedBody {
  /** "object", "array", "string", … */
  body: string;
  keys?: number;
  unknownKeys?: number;
  /** Known fields that failed validation (at most 16). */
  invalid: string[];
}

export function rejectedBody(raw: unknown, issues: readonly z.core.$ZodIssue[], known: Set<string>): RejectedBody {
  const isObject = raw !== null && typeof raw === 'object' && !Array.isArray(raw);
  const invalid = [...new Set(issues.map((i) => String(i.path[0] ?? '')).filter((key) => known.has(key)))].slice(
    0,
    MAX_ITEMS,
  );
  if (!isObject) return { body: Array.isArray(raw) ? 'array' : raw === null ? 'null' : typeof raw, invalid };
  const keys = Object.keys(raw);
  const unknownKeys = keys.reduce((n, key) => (known.has(key) ? n : n + 1), 0);
  return { body: 'object', keys: keys.length, unknownKeys, invalid };
}

/** The audit reason of a refused body: counts and known field names only (zod messages repeat the caller's keys). */
export function rejectedReason(rejected: RejectedBody): string {
  const parts = [
    rejected.invalid.length
      ? `invalid field${rejected.invalid.length === 1 ? '' : 's'}: ${rejected.invalid.join(', ')}`
      : '',
    rejected.unknownKeys ? `${rejected.unknownKeys} unknown key${rejected.unknownKeys === 1 ? '' : 's'}` : '',
    rejected.body === 'object' ? '' : `body is ${rejected.body === 'array' ? 'an array' : `a ${rejected.body}`}`,
  ].filter(Boolean);
  return `invalid request body${parts.length ? ` (${parts.join('; ')})` : ''}`;
}

/** The caller's own error message may name their keys, but never at unbounded length. */
export function cappedIssues(issues: readonly z.core.$ZodIssue[]): { message: string; fields: string[] } {
  const fields = issues
    .slice(0, MAX_ITEMS)
    .map((i) => capText(`${i.path.map(String).join('.') || '(body)'}: ${i.message}`));
  if (issues.length > MAX_ITEMS) fields.push(`(+${issues.length - MAX_ITEMS} more problems)`);
  return { message: capText(`invalid request: ${fields.join('; ')}`, 1000), fields };
}
