// Requests from many client addresses on one machine: each is sent from its own loopback address (127.0.1.x …) and
// names that address in X-Forwarded-For too, so the server sees a different client per address whether it takes the
// address from the socket or, behind a trusted proxy, from the header.
import http from 'node:http';

/** The n-th client address (n from 0): 127.0.1.1, 127.0.1.2, … 127.0.1.256, 127.0.2.1, … */
export function clientAddress(n: number): string {
  return `127.0.${1 + (n >> 8)}.${(n & 255) + 1}`;
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

/** POSTs a JSON body from `address`; a connection error is status 0. */
export function postFrom(
  address: string,
  url: string,
  json: unknown,
  headers: Record<string, string>,
  agent?: http.Agent,
): Promise<Answer> {
  const started = performance.now();
  const body = JSON.stringify(json);
  return new Promise((resolve) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        localAddress: address,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-forwarded-for': address,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
      },
    );
    request.on('error', () => resolve({ status: 0, headers: {}, body: '', ms: performance.now() - started }));
    request.end(body);
  });
}
