// Every route handler under app/api, found on disk, so a route added later is covered by the access tests.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface ApiRoute {
  /** URL path with dynamic segments filled in. */
  path: string;
  /** The route's own pattern, e.g. /api/clusters/[id]/snapshot */
  pattern: string;
  methods: string[];
  /** The handler declares a typed confirmation (a destructive call). */
  destructive: boolean;
}

const METHOD = /export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g;

export async function apiRoutes(fill: Record<string, string>): Promise<ApiRoute[]> {
  const root = path.resolve('app/api');
  const files = (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && /^route\.tsx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
  return Promise.all(
    files.sort().map(async (file) => {
      const source = await readFile(file, 'utf8');
      const pattern = `/api/${path.relative(root, path.dirname(file)).split(path.sep).join('/')}`.replace(/\/$/, '');
      const filled = pattern.replace(/\[([^\]]+)\]/g, (_, name: string) => encodeURIComponent(fill[name] ?? name));
      return {
        path: filled,
        pattern,
        methods: [...source.matchAll(METHOD)].map((m) => m[1] ?? ''),
        destructive: /confirmation:/.test(source),
      };
    }),
  );
}

export const isMutation = (method: string) => method !== 'GET' && method !== 'HEAD';
