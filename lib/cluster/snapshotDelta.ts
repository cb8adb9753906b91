import type { ClusterSnapshot, SnapshotNode } from './types';

/**
 * What changed between two polls, for the snapshot stream: every poll changes a little of every node (round trip,
 * ping/pong times, INFO counters) but rarely its shape, so a 300-node snapshot is sent whole once and then as the
 * changed fields of each node, keyed by node id. Applying a delta keeps every unchanged object (a node, its `info`, its
 * slot list) the same reference, so the page can skip what did not change.
 *
 * JSON values only: an `undefined` field counts as absent, as JSON.stringify would have it.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Changes to one object: fields replaced whole, fields removed, and objects changed in part. */
export interface ObjectPatch {
  set?: Record<string, unknown>;
  unset?: string[];
  patch?: Record<string, ObjectPatch>;
}

/** From the poll a stream sent as `from` to the next one it sends. */
export interface SnapshotDelta {
  /** The sequence number of the poll this delta applies to; the result is `from + 1`. */
  from: number;
  /** Fields of the snapshot besides `nodes`. */
  top?: ObjectPatch;
  /** Node ids in their new order, only when a node came, went or moved. */
  order?: string[];
  /** Nodes not in the previous poll, whole. */
  added?: SnapshotNode[];
  /** Changed fields of nodes that were there before, by node id. */
  nodes?: Record<string, ObjectPatch>;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => sameJson(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    if (keys.length !== Object.keys(b).filter((k) => b[k] !== undefined).length) return false;
    return keys.every((k) => sameJson(a[k], b[k]));
  }
  return false;
}

function isEmpty(patch: ObjectPatch): boolean {
  return patch.set === undefined && patch.unset === undefined && patch.patch === undefined;
}

/** The patch turning `prev` into `next` (both plain JSON objects); `skip` names fields left out. */
export function diffObject(prev: object, next: object, skip?: string): ObjectPatch {
  const a = prev as Record<string, unknown>;
  const b = next as Record<string, unknown>;
  const out: ObjectPatch = {};
  for (const key of Object.keys(b)) {
    const value = b[key];
    if (key === skip || value === undefined) continue;
    const before = a[key];
    if (before === value) continue;
    if (isObject(before) && isObject(value)) {
      const inner = diffObject(before, value);
      if (!isEmpty(inner)) {
        out.patch ??= {};
        out.patch[key] = inner;
      }
    } else if (!sameJson(before, value)) {
      out.set ??= {};
      out.set[key] = value;
    }
  }
  for (const key of Object.keys(a)) {
    if (key === skip || a[key] === undefined || b[key] !== undefined) continue;
    out.unset ??= [];
    out.unset.push(key);
  }
  return out;
}

/** `base` with `patch` applied; untouched fields (and `base` itself when nothing changed) keep their references. */
export function applyObject<T extends object>(base: T, patch: ObjectPatch): T {
  if (isEmpty(patch)) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const key of patch.unset ?? []) delete out[key];
  for (const [key, value] of Object.entries(patch.set ?? {})) out[key] = value;
  for (const [key, inner] of Object.entries(patch.patch ?? {})) {
    const current = out[key];
    out[key] = applyObject(isObject(current) ? current : {}, inner);
  }
  return out as T;
}

/** The delta from `prev` (sent as sequence number `from`) to `next`. */
export function encodeDelta<S extends ClusterSnapshot>(prev: S, next: S, from: number): SnapshotDelta {
  const delta: SnapshotDelta = { from };
  const top = diffObject(prev, next, 'nodes');
  if (!isEmpty(top)) delta.top = top;
  const before = new Map(prev.nodes.map((n) => [n.id, n]));
  const sameOrder = prev.nodes.length === next.nodes.length && prev.nodes.every((n, i) => n.id === next.nodes[i]?.id);
  if (!sameOrder) delta.order = next.nodes.map((n) => n.id);
  for (const node of next.nodes) {
    const old = before.get(node.id);
    if (!old) {
      delta.added ??= [];
      delta.added.push(node);
      continue;
    }
    if (old === node) continue;
    const patch = diffObject(old, node);
    if (isEmpty(patch)) continue;
    delta.nodes ??= {};
    delta.nodes[node.id] = patch;
  }
  return delta;
}

/** What a stream's reader does with a delta: the new snapshot, or a full one to ask for (it missed a poll). */
export type DeltaOutcome<S> = { snapshot: S; seq: number } | { resync: true };

/** `base` (sequence number `seq`) moved on by `delta`; a delta from any other poll needs a full snapshot. */
export function applyDelta<S extends ClusterSnapshot>(
  base: S | undefined,
  seq: number | undefined,
  delta: SnapshotDelta,
): DeltaOutcome<S> {
  if (base === undefined || seq === undefined || delta.from !== seq) return { resync: true };
  const top = delta.top ? applyObject(base, delta.top) : base;
  const before = new Map(base.nodes.map((n) => [n.id, n]));
  for (const node of delta.added ?? []) before.set(node.id, node);
  const order = delta.order ?? base.nodes.map((n) => n.id);
  const nodes: SnapshotNode[] = [];
  for (const id of order) {
    const node = before.get(id);
    if (!node) return { resync: true };
    const patch = delta.nodes?.[id];
    nodes.push(patch ? applyObject(node, patch) : node);
  }
  const unchanged = !delta.order && !delta.added && !delta.nodes;
  return { snapshot: { ...top, nodes: unchanged ? base.nodes : nodes }, seq: seq + 1 };
}
