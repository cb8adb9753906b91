import 'server-only';

interface Watch {
  waiters: Set<() => void>;
  fire: () => void;
}

// Per signal, the callbacks waiting for it, behind one 'abort' listener of its own.
const watches = new WeakMap<AbortSignal, Watch>();

/**
 * Runs `fn` once when `signal` aborts; the returned function takes it back. However many wait on one signal at once
 * (a scan's part per shard, each sleeping between batches; a reshard's slots held by the latency guard), the signal
 * carries one listener, removed when the last waiter leaves: a job's signal lives as long as the job, and a listener
 * per wait would pile up on it (Node warns past 10: MaxListenersExceededWarning). An aborted signal runs `fn` at once.
 */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    fn();
    return () => {};
  }
  let watch = watches.get(signal);
  if (!watch) {
    const waiters = new Set<() => void>();
    const fire = () => {
      watches.delete(signal);
      for (const waiter of waiters) waiter();
      waiters.clear();
    };
    watch = { waiters, fire };
    watches.set(signal, watch);
    signal.addEventListener('abort', fire, { once: true });
  }
  const { waiters, fire } = watch;
  waiters.add(fn);
  return () => {
    if (!waiters.delete(fn) || waiters.size > 0) return;
    signal.removeEventListener('abort', fire);
    if (watches.get(signal)?.fire === fire) watches.delete(signal);
  };
}

/** Waits `ms`, or less when `signal` aborts first (resolves either way); leaves nothing on the signal behind. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) {
      setTimeout(resolve, ms);
      return;
    }
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      forget();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const forget = onAbort(signal, done);
  });
}
