import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  output: 'standalone',
  poweredByHeader: false,
  reactStrictMode: true,
  // Type-checking runs as its own step (`npm run typecheck`), so the build stays fast and its errors stay readable.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ['ioredis'],
};

export default nextConfig;
