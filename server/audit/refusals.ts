import 'server-only';

/** Lines held back for one client (ip) or, when ip is undefined, for everyone over the overall budget. */
export interface Suppressed {
  ip?: string;
  count: number;
  since: number;
  until: number;
  actions: string[];
  status: number;
}

interface Window {
  start: number;
  written: number;
  suppressed: number;
  actions: Set<string>;
  status: number;
}

const MAX_ACTIONS = 4;

function note(window: Window, action: string, status: number): void {
  window.suppressed++;
  window.status = status;
  if (window.actions.size < MAX_ACTIONS) window.actions.add(action);
}

/**
 * How many refused attempts from callers without a session reach the audit log: at most `perClient` lines per client
 * and `overall` lines in all per window; the rest are counted and written as one summary line per client (and one
 * for everyone) when the window has ended. A flood of wrong tokens or passwords cannot grow the log fast.
 */
export class RefusalBudget {
  private readonly clients = new Map<string, Window>();
  private everyone: Window;

  constructor(
    readonly perClient: number,
    readonly overall: number,
    readonly windowMs: number,
    private readonly maxClients = 10_000,
  ) {
    this.everyone = this.fresh(0);
  }

  private fresh(start: number): Window {
    return { start, written: 0, suppressed: 0, actions: new Set(), status: 0 };
  }

  private summary(window: Window, now: number, ip?: string): Suppressed {
    return {
      ...(ip !== undefined ? { ip } : {}),
      count: window.suppressed,
      since: window.start,
      until: Math.min(now, window.start + this.windowMs),
      actions: [...window.actions],
      status: window.status,
    };
  }

  /** Whether this attempt gets its own line, and the summaries of ended windows to write before it. */
  admit(ip: string, action: string, status: number, now: number): { write: boolean; summaries: Suppressed[] } {
    const summaries: Suppressed[] = [];
    let client = this.clients.get(ip);
    if (client && now - client.start >= this.windowMs) {
      if (client.suppressed > 0) summaries.push(this.summary(client, now, ip));
      this.clients.delete(ip);
      client = undefined;
    }
    if (!client) {
      if (this.clients.size >= this.maxClients) summaries.push(...this.sweep(now, true));
      client = this.fresh(now);
      this.clients.set(ip, client);
    }
    if (now - this.everyone.start >= this.windowMs) {
      if (this.everyone.suppressed > 0) summaries.push(this.summary(this.everyone, now));
      this.everyone = this.fresh(now);
    }
    if (client.written >= this.perClient) {
      note(client, action, status);
      return { write: false, summaries };
    }
    if (this.everyone.written >= this.overall) {
      note(this.everyone, action, status);
      return { write: false, summaries };
    }
    client.written++;
    this.everyone.written++;
    return { write: true, summaries };
  }

  /** Summaries of every ended window (called on a timer, so a flood that stops is still summed up). */
  due(now: number): Suppressed[] {
    const summaries = this.sweep(now, false);
    if (this.everyone.suppressed > 0 && now - this.everyone.start >= this.windowMs) {
      summaries.push(this.summary(this.everyone, now));
      this.everyone = this.fresh(now);
    }
    return summaries;
  }

  /** Drops ended windows (summing up the ones that suppressed lines); `crowded`: also the oldest half when full. */
  private sweep(now: number, crowded: boolean): Suppressed[] {
    const summaries: Suppressed[] = [];
    for (const [ip, window] of this.clients) {
      if (now - window.start < this.windowMs) continue;
      if (window.suppressed > 0) summaries.push(this.summary(window, now, ip));
      this.clients.delete(ip);
    }
    if (crowded && this.clients.size >= this.maxClients) {
      let drop = Math.ceil(this.clients.size / 2);
      for (const [ip, window] of this.clients) {
        if (drop-- <= 0) break;
        if (window.suppressed > 0) summaries.push(this.summary(window, now, ip));
        this.clients.delete(ip);
      }
    }
    return summaries;
  }

  /** Clients with an open window (for tests and the memory bound). */
  get size(): number {
    return this.clients.size;
  }
}
