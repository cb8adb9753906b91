// next build's standalone output leaves out static files; copy them in so the server serves JS and CSS.
import { cpSync, existsSync } from 'node:fs';

const out = '.next/standalone';
if (!existsSync(out)) throw new Error('no .next/standalone: is output: "standalone" set in next.config.ts?');
cpSync('.next/static', `${out}/.next/static`, { recursive: true });
if (existsSync('public')) cpSync('public', `${out}/public`, { recursive: true });
