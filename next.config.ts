import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  output: 'standalone',
  poweredByHeader: false,
  reactStrictMode: true,
  // Type-checking runs as its own step (`npm run typecheck`), so the build stays fast and its errors stay readable.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ['ioredis'],
  // Next buffers a copy of a page request's body for proxy.ts (10 MiB by default) before any of our code runs; pages
  // take no bodies, and API bodies are capped at 64 KiB by the route wrapper, so the copy is capped the same.
  experimental: { proxyClientMaxBodySize: 65536 },
  async headers() {
    const common = [
      { key: 'X-Content-Type-Options', value: 'nosniff' },
      { key: 'Referrer-Policy', value: 'no-referrer' },
      { key: 'X-Frame-Options', value: 'DENY' },
      { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
    ];
    return [
      { source: '/:path*', headers: common },
      // API answers are data, never documents: nothing in them may run or be framed.
      {
        source: '/api/:path*',
        headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ];
  },
};

export default nextConfig;
