import 'server-only';
import type { z } from 'zod';
import { SnapshotQuery, type SnapshotView, StreamQuery } from '@/lib/api/schemas';
import type { SnapshotResponse } from '@/lib/api/types';
import type { Principal } from '@/lib/auth/access';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import { evaluateFindings } from '@/lib/findings';
import { type WallSnapshot, wallSnapshot } from '@/lib/overview/wallSnapshot';
import { ApiError } from '../api/errors';

/** `?view=` of GET /snapshot and /stream; a kiosk session gets the wall's view whatever it asks for. */
export function viewOf(request: Request, principal: Principal | undefined): SnapshotView {
  const view = parseQuery(SnapshotQuery, request).view;
  return principal?.kind === 'kiosk' ? 'wall' : view;
}

/** `?view=` and `?delta=` of GET /stream; a kiosk session gets the wall's view whatever it asks for. */
export function streamQueryOf(request: Request, principal: Principal | undefined): StreamQuery {
  const query = parseQuery(StreamQuery, request);
  return principal?.kind === 'kiosk' ? { ...query, view: 'wall' } : query;
}

function parseQuery<T extends z.ZodType>(schema: T, request: Request): z.infer<T> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(query)'}: ${i.message}`);
    throw new ApiError('bad_request', `invalid query: ${fields.join('; ')}`, fields);
  }
  return parsed.data;
}

export function withAge(snapshot: ClusterSnapshot, pollIntervalMs: number, now = Date.now()): SnapshotResponse {
  return { ...snapshot, ageMs: Math.max(0, now - Date.parse(snapshot.collectedAt)), pollIntervalMs };
}

// Findings once per poll, however many walls and kiosk streams read it; a WeakMap forgets old polls on its own.
const findingsOf = new WeakMap<ClusterSnapshot, ReturnType<typeof evaluateFindings>>();

/** The wall's view of a poll (see WallSnapshot), aged now. */
export function wallView(snapshot: ClusterSnapshot, pollIntervalMs: number, now = Date.now()): WallSnapshot {
  let findings = findingsOf.get(snapshot);
  if (!findings) {
    findings = evaluateFindings(snapshot);
    findingsOf.set(snapshot, findings);
  }
  return wallSnapshot(withAge(snapshot, pollIntervalMs, now), findings);
}

export function inView(
  snapshot: ClusterSnapshot,
  pollIntervalMs: number,
  view: SnapshotView,
): SnapshotResponse | WallSnapshot {
  return view === 'wall' ? wallView(snapshot, pollIntervalMs) : withAge(snapshot, pollIntervalMs);
}

// A poll serialised once, however many streams send it.
const jsonOf = new WeakMap<ClusterSnapshot, string>();

/** inView as JSON text, aged now: the same value as JSON.stringify(inView(...)) (ageMs and pollIntervalMs first). */
export function inViewJson(snapshot: ClusterSnapshot, pollIntervalMs: number, view: SnapshotView, now = Date.now()) {
  if (view === 'wall') return JSON.stringify(wallView(snapshot, pollIntervalMs, now));
  let json = jsonOf.get(snapshot);
  if (!json) {
    json = JSON.stringify(snapshot);
    jsonOf.set(snapshot, json);
  }
  const ageMs = Math.max(0, now - Date.parse(snapshot.collectedAt));
  return `{"ageMs":${ageMs},"pollIntervalMs":${pollIntervalMs},${json.slice(1)}`;
}
