import 'server-only';

/** Open event streams one principal may hold: a user name across its sessions, or every kiosk session together. */
export const STREAMS_PER_PRINCIPAL = 6;
/** Open event streams the whole process holds. */
export const STREAMS_TOTAL = 200;

export type StreamRefusal = 'principal' | 'total';

/** Counts open streams per principal and in all; a slot taken is given back exactly once. */
export class StreamSlots {
  private readonly byPrincipal = new Map<string, number>();
  private open = 0;

  constructor(
    readonly perPrincipal = STREAMS_PER_PRINCIPAL,
    readonly total = STREAMS_TOTAL,
  ) {}

  /** A release function, or why there is no slot. */
  acquire(principalKey: string): { release: () => void } | { refused: StreamRefusal } {
    const held = this.byPrincipal.get(principalKey) ?? 0;
    if (held >= this.perPrincipal) return { refused: 'principal' };
    if (this.open >= this.total) return { refused: 'total' };
    this.byPrincipal.set(principalKey, held + 1);
    this.open++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.open--;
        const left = (this.byPrincipal.get(principalKey) ?? 1) - 1;
        if (left > 0) this.byPrincipal.set(principalKey, left);
        else this.byPrincipal.delete(principalKey);
      },
    };
  }

  /** Open streams, in all or of one principal. */
  count(principalKey?: string): number {
    return principalKey === undefined ? this.open : (this.byPrincipal.get(principalKey) ?? 0);
  }
}

// On globalThis: Next may load this module once per route bundle, and the caps are the process's.
const KEY = Symbol.for('redis-cluster-dashboard.stream-slots');
type Holder = { [KEY]?: StreamSlots };

export function streamSlots(): StreamSlots {
  const holder = globalThis as Holder;
  holder[KEY] ??= new StreamSlots();
  return holder[KEY];
}
