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

// Logins let through to the app per second, from all clients together. Even a login the app refuses before hashing
// costs its whole request pipeline (a few ms); under a flood that alone would slow the poller. Past this rate the
// front answers 429 itself, for a fraction of that. The app still throttles per user and address, and bounds hashing.
const LOGIN_RATE = 20;
const LOGIN_BURST = 40;
const BUSY = '{"error":{"code":"rate_limited","message":"login service busy; try again in a moment"}}';
let loginTokens = LOGIN_BURST;
let refilledAt = Date.now();

function shedLogin(req, res) {
  if (req.method !== 'POST' || !(req.url === '/api/auth/login' || req.url?.startsWith('/api/auth/login?')))
    return false;
  const now = Date.now();
  loginTokens = Math.min(LOGIN_BURST, loginTokens + ((now - refilledAt) / 1000) * LOGIN_RATE);
  refilledAt = now;
  if (loginTokens >= 1) {
    loginTokens -= 1;
    return false;
  }
  req.resume();
  res.writeHead(429, {
    'content-type': 'application/json',
    'retry-after': '1',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(BUSY);
  return true;
}

// prependListener: the peer is written before any request listener Next adds, however it adds it. The listener
// handed to createServer (as Next's start-server does) is wrapped so an excess login never reaches it.
for (const transport of [http, https]) {
  const createServer = transport.createServer;
  transport.createServer = (...args) =>
    createServer(
      ...args.map((arg) => (typeof arg === 'function' ? (req, res) => shedLogin(req, res) || arg(req, res) : arg)),
    )
      .prependListener('request', markPeer)
      .prependListener('upgrade', markPeer);
}

await import('./next-server.js');
