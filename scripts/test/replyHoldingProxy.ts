import net from 'node:net';
import { freeNodePort } from '../devcluster/ports';

/**
 * A TCP proxy to one node that holds the node's replies for `holdMs` once a client sends a command matching
 * `trigger`: a reply that arrives after the client gave up, in order, on a connection that stays up.
 */
export async function replyHoldingProxy(host: string, port: number, trigger: RegExp, holdMs: number) {
  let held = 0;
  const sockets = new Set<net.Socket>();
  // Held replies of every connection, so a test can let them go at the moment it chooses (release()).
  const releases = new Set<() => void>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      s.on('close', () => sockets.delete(s));
    }
    let holdUntil = 0;
    client.on('data', (chunk) => {
      if (trigger.test(chunk.toString('latin1'))) {
        holdUntil = Date.now() + holdMs;
        held++;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      const wait = holdUntil - Date.now();
      if (wait <= 0) return void client.write(chunk);
      upstream.pause();
      const letGo = () => {
        clearTimeout(timer);
        releases.delete(letGo);
        holdUntil = 0;
        client.write(chunk);
        upstream.resume();
      };
      const timer = setTimeout(letGo, wait);
      releases.add(letGo);
    });
  });
  const proxyPort = await freeNodePort();
  await new Promise<void>((resolve) => server.listen(proxyPort, '127.0.0.1', resolve));
  return {
    port: proxyPort,
    held: () => held,
    /** Sends every held reply now instead of when its hold ends. */
    release: () => {
      for (const letGo of [...releases]) letGo();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
