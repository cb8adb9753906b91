// The dashboard's standalone entry: `npm run build` installs it as .next/standalone/server.js and Next's own entry as
// next-server.js. Next's App Router never shows a handler the socket, so this front writes the peer on each request
// before Next sees it: every x-rcd-* header a client sent is dropped, then x-rcd-peer is set to
// "<nonce> <remote address> <http|https>". The nonce is random per process and handed over in the environment, so the
// app (server/http/peer.ts) believes only this header, and believes none when it runs without the front (next dev).
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

const PREFIX = 'x-rcd-';
const nonce = randomBytes(24).toString('base64url');
process.env.DASHBOARD_FRONT_NONCE = nonce;

function markPeer(req) {
  const { socket } = req;
  const peer = `${nonce} ${socket.remoteAddress ?? '-'} ${socket.encrypted ? 'https' : 'http'}`;
  for (const name of Object.keys(req.headers)) if (name.startsWith(PREFIX)) delete req.headers[name];
  req.headers[`${PREFIX}peer`] = peer;
  const raw = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    if (!name.toLowerCase().startsWith(PREFIX)) raw.push(name, req.rawHeaders[i + 1]);
  }
  req.rawHeaders = [...raw, `${PREFIX}peer`, peer];
}

// prependListener: the peer is written before any request listener Next adds, however it adds it.
for (const transport of [http, https]) {
  const createServer = transport.createServer;
  transport.createServer = (...args) =>
    createServer(...args)
      .prependListener('request', markPeer)
      .prependListener('upgrade', markPeer);
}

await import('./next-server.js');
