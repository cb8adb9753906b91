// A Server-Sent Events client for e2e: reads frames as they come, with a deadline per wait.
export interface SseFrame {
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  /** The response body when the server refused the stream (429, 401, …). */
  refusal?: string;
  retryAfter: string | null;
  /** The next frame, or 'ended' when the server closed the stream, or 'timeout'. */
  next(timeoutMs: number): Promise<SseFrame | 'ended' | 'timeout'>;
  close(): void;
}

function parse(block: string): SseFrame | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  return data.length ? { event, data: data.join('\n') } : undefined;
}

/** Opens `url` with the session cookie; frames are read only when asked for (a slow reader reads seldom). */
export async function openSse(url: string, cookie: string): Promise<SseStream> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal: abort.signal });
  const retryAfter = response.headers.get('retry-after');
  if (response.status !== 200) {
    const refusal = await response.text();
    return { status: response.status, refusal, retryAfter, next: async () => 'ended', close: () => abort.abort() };
  }
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  const decoder = new TextDecoder();
  const frames: SseFrame[] = [];
  let buffer = '';
  let ended = false;
  let reading: Promise<void> | undefined;
  const readMore = () => {
    reading ??= reader.read().then(
      ({ value, done }) => {
        reading = undefined;
        if (done) ended = true;
        buffer += decoder.decode(value, { stream: true });
        let cut = buffer.indexOf('\n\n');
        while (cut !== -1) {
          const frame = parse(buffer.slice(0, cut));
          if (frame) frames.push(frame);
          buffer = buffer.slice(cut + 2);
          cut = buffer.indexOf('\n\n');
        }
      },
      () => {
        reading = undefined;
        ended = true;
      },
    );
    return reading;
  };
  return {
    status: 200,
    retryAfter,
    async next(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (frames.length === 0 && !ended) {
        const left = deadline - Date.now();
        if (left <= 0) return 'timeout';
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), left);
        });
        const result = await Promise.race([readMore(), timeout]);
        clearTimeout(timer);
        if (result === 'timeout' && frames.length === 0) return 'timeout';
      }
      return frames.shift() ?? 'ended';
    },
    close: () => abort.abort(),
  };
}

/** The session cookie ("rcd_session=…") a response set. */
export function sessionCookieOf(response: Response): string {
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!cookie.startsWith('rcd_session=')) throw new Error(`no session cookie (${response.status})`);
  return cookie;
}

/** Logs in with fetch (each call a session of its own) and returns its cookie. */
export async function sessionOf(baseURL: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${baseURL}/api/auth/login`, {
    method: 'POST',
    headers: { origin: baseURL, 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return sessionCookieOf(response);
}

/** A kiosk session, as a wall screen gets one from /wall?kiosk=<token>. */
export async function kioskSessionOf(baseURL: string, token: string): Promise<string> {
  const response = await fetch(`${baseURL}/api/auth/kiosk?token=${encodeURIComponent(token)}&next=/wall`, {
    redirect: 'manual',
  });
  return sessionCookieOf(response);
}
