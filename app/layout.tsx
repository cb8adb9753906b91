import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { LogoutButton } from '@/components/auth/LogoutButton';
import { AppChrome } from '@/components/common/AppChrome';
import { Providers } from '@/components/Providers';
import { allows } from '@/lib/auth/access';
import { currentPrincipal } from '@/server/auth/pageAccess';
import './globals.css';

export const metadata: Metadata = {
  title: 'Redis Cluster dashboard',
  description: 'Operations dashboard for Redis Cluster and Valkey cluster',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const principal = await currentPrincipal();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <Providers>
          <AppChrome
            header={
              <header className="flex items-center gap-6 border-b border-border px-6 py-3">
                <Link href="/" className="font-semibold tracking-wide">
                  Redis Cluster dashboard
                </Link>
                {principal && (
                  <nav className="flex gap-4 text-sm text-muted">
                    <Link href="/">Clusters</Link>
                    <Link href="/wall">Wall</Link>
                    {allows(principal, 'admin') && <Link href="/clusters/create">Create cluster</Link>}
                    {allows(principal, 'admin') && <Link href="/audit">Audit log</Link>}
                  </nav>
                )}
                <div className="ml-auto flex items-center gap-3 text-sm" data-testid="whoami">
                  {principal?.kind === 'user' && (
                    <>
                      <span>
                        {principal.name} <span className="text-muted">({principal.role})</span>
                      </span>
                      <LogoutButton />
                    </>
                  )}
                  {principal?.kind === 'kiosk' && <span className="text-muted">wall screen (read-only)</span>}
                </div>
              </header>
            }
          >
            {children}
          </AppChrome>
        </Providers>
      </body>
    </html>
  );
}
