// The SSE viewers of bench:soak: each logs in once, then holds the cluster's stream for a random few seconds, leaves,
// and comes back, until told to stop.
import net from 'node:net';

export interface ViewerTally {
  sessions: number;
  snapshots: number;
  refused: number;
  errors: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function login(baseURL: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${baseURL}/api/auth/login`, {
    method: 'POST',
    headers: { origin: baseURL, 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 204) throw new Error(`login as ${username}: ${response.status} ${await response.text()}`);
  return response.headers.get('set-cookie')?.split(';')[0] ?? '';
}

const between = (min: number, max: number) => min + Math.random() * (max - min);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One stream held for `ms` (or until `stop()`), counting the snapshot frames it got. */
async function holdStream(url: string, cookie: string, ms: number, tally: ViewerTally, stop: () => boolean) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ms);
  try {
    const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal: abort.signal });
    if (response.status !== 200) {
      tally.refused++;
      await response.body?.cancel();
      return;
    }
    tally.sessions++;
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    while (reader && !stop()) {
      const { value, done } = await reader.read();
      if (done) break;
      tally.snapshots += decoder.decode(value, { stream: true }).split('event: snapshot\n').length - 1;
    }
  } catch {
    if (!abort.signal.aborted) tally.errors++;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

/** Streams for 1-20 s each (past a session recheck, 5 s, and sometimes a heartbeat, 15 s) with 0-1 s between, until `stop()`. */
export async function runViewer(url: string, cookie: string, tally: ViewerTally, stop: () => boolean): Promise<void> {
  while (!stop()) {
    await holdStream(url, cookie, between(1000, 20_000), tally, stop);
    await pause(between(0, 1000));
  }
}
