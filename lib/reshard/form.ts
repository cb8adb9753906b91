import type { ReshardOptions, ReshardRequest, SlotRangeInput } from '../jobs/types';
import { MAX_SLOT, normalizeRanges, SLOT_COUNT } from '../redis/slots';

/** What the reshard dialog holds while the operator fills it in: inputs as typed, checked by `reshardRequest`. */
export interface ReshardForm {
  target: string;
  /** `ranges`: the slots selected on the map; `count`: N slots taken from sources, as redis-cli plans it. */
  what: 'ranges' | 'count';
  /** redis-cli's notation: "0-1819,2000". */
  ranges: string;
  count: string;
  from: 'all' | 'chosen';
  sources: string[];
  replace: boolean;
  /** Blank: no limit. */
  throttleKeysPerSec: string;
  /** Blank: no latency guard. */
  maxSourceLatencyMs: string;
}

export type FormResult = { ok: true; request: ReshardRequest } | { ok: false; problem: string };

const positiveInt = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);

/** "0-1819, 2000" -> [[0, 1819], [2000, 2000]], sorted and merged; or what is wrong with it. */
export function parseRanges(text: string): { ok: true; ranges: SlotRangeInput[] } | { ok: false; problem: string } {
  const parts = text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return { ok: false, problem: 'Select slots on the map, or type ranges such as 0-1819,2000.' };
  const ranges: SlotRangeInput[] = [];
  for (const part of parts) {
    const m = /^(\d+)(?:\s*[-–]\s*(\d+))?$/.exec(part);
    const start = Number(m?.[1]);
    const end = m?.[2] === undefined ? start : Number(m[2]);
    if (!m || start > end || end > MAX_SLOT)
      return { ok: false, problem: `Slots: "${part}" is not a slot or a range start-end within 0-${MAX_SLOT}.` };
    ranges.push([start, end]);
  }
  return { ok: true, ranges: normalizeRanges(ranges) };
}

/**
 * The API body for the form (issue 11's shape: `{ target, slots }` or `{ target, count, sources }`, `options` only
 * when one is set), or the first thing to fix, in one sentence.
 */
export function reshardRequest(
  form: ReshardForm,
  masters: ReadonlyArray<{ id: string; slotCount: number }>,
): FormResult {
  if (!form.target) return { ok: false, problem: 'Pick the master that receives the slots.' };
  const options: ReshardOptions = {};
  if (form.replace) options.replace = true;
  if (form.throttleKeysPerSec.trim()) {
    const n = positiveInt(form.throttleKeysPerSec);
    if (!(n > 0)) return { ok: false, problem: 'Throttle: a whole number of keys per second, or blank for no limit.' };
    options.throttleKeysPerSec = n;
  }
  if (form.maxSourceLatencyMs.trim()) {
    const n = Number(form.maxSourceLatencyMs.trim());
    if (!(Number.isFinite(n) && n > 0))
      return { ok: false, problem: 'Latency guard: a number of ms above 0, or blank for none.' };
    options.maxSourceLatencyMs = n;
  }
  const withOptions = Object.keys(options).length > 0 ? { options } : {};
  if (form.what === 'ranges') {
    const parsed = parseRanges(form.ranges);
    if (!parsed.ok) return parsed;
    return { ok: true, request: { target: form.target, slots: parsed.ranges, ...withOptions } };
  }
  const count = positiveInt(form.count);
  if (!(count > 0 && count < SLOT_COUNT))
    return { ok: false, problem: `Number of slots: a whole number from 1 to ${SLOT_COUNT - 1}.` };
  const sources =
    form.from === 'all'
      ? masters.filter((m) => m.id !== form.target)
      : masters.filter((m) => form.sources.includes(m.id));
  if (form.from === 'chosen' && sources.length === 0)
    return { ok: false, problem: 'Choose at least one master to take the slots from.' };
  if (sources.some((m) => m.id === form.target)) return { ok: false, problem: 'The target cannot also be a source.' };
  const available = sources.reduce((sum, m) => sum + m.slotCount, 0);
  if (count > available)
    return {
      ok: false,
      problem: `The sources own ${available.toLocaleString('en-US')} slots: ask for that many at most.`,
    };
  return {
    ok: true,
    request: {
      target: form.target,
      count,
      sources: form.from === 'all' ? 'all' : sources.map((m) => m.id),
      ...withOptions,
    },
  };
}
