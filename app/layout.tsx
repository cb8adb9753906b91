import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Providers } from '@/components/Providers';
import './globals.css';

export const metadata: Metadata = {
  title: 'Redis Cluster dashboard',
  description: 'Operations dashboard for Redis Cluster and Valkey cluster',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <header className="flex items-center gap-6 border-b border-border px-6 py-3">
          <Link href="/" className="font-semibold tracking-wide">
            Redis Cluster dashboard
          </Link>
        </header>
        <Providers>
          <main className="px-6 py-5">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
