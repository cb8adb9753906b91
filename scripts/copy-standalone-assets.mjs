// next build's standalone output leaves out static files; copy them in so the server serves JS and CSS. Then put the
// front entry (scripts/front-server.mjs: writes the socket peer on each request) in front of Next's own server.js.
import { copyFileSync, cpSync, existsSync, readFileSync, renameSync } from 'node:fs';

const out = '.next/standalone';
if (!existsSync(out)) throw new Error('no .next/standalone: is output: "standalone" set in next.config.ts?');
cpSync('.next/static', `${out}/.next/static`, { recursive: true });
if (existsSync('public')) cpSync('public', `${out}/public`, { recursive: true });

const front = 'scripts/front-server.mjs';
const entry = `${out}/server.js`;
if (!existsSync(entry)) throw new Error(`no ${entry}: did next build change its standalone output?`);
// Run again on the same build, server.js is already a front (it sets the nonce): next-server.js stays as it is.
if (!readFileSync(entry, 'utf8').includes('DASHBOARD_FRONT_NONCE')) renameSync(entry, `${out}/next-server.js`);
copyFileSync(front, entry);
