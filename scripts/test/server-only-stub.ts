// Stand-in for the server-only package under Vitest (plain Node, no React Server Components).
export {};
