'use client';

import { useSyncExternalStore } from 'react';

/**
 * Whether this page's session has ended (the API answered 401 `unauthenticated`, or the stream said
 * `session_ended`): logged out elsewhere, user removed, password changed, kiosk token replaced, expired. Once ended,
 * the page stops asking the API (it would only get 401 again) and says so instead of drawing stale clusters.
 */
let ended = false;
const listeners = new Set<() => void>();

export function markSessionEnded(): void {
  if (ended) return;
  ended = true;
  for (const listener of listeners) listener();
}

/** A new session (logged in again without a page load): the page may ask the API again. */
export function markSessionStarted(): void {
  if (!ended) return;
  ended = false;
  for (const listener of listeners) listener();
}

export function sessionHasEnded(): boolean {
  return ended;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSessionEnded(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => ended,
    () => false,
  );
}
