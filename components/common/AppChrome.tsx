'use client';

import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

/** Pages drawn full screen, without the app's header and navigation (the wall, in kiosk mode and for users alike). */
export function isFullScreenPath(pathname: string | null): boolean {
  return pathname === '/wall' || (pathname?.startsWith('/wall/') ?? false);
}

/**
 * The app's header and main area; on a full-screen page only the page itself. Decided from the path while rendering
 * on the server too, so the wall's HTML never carries the header (no flash, nothing to hide with CSS).
 */
export function AppChrome({ header, children }: { header: ReactNode; children: ReactNode }) {
  const fullScreen = isFullScreenPath(usePathname());
  if (fullScreen) return <main className="h-dvh w-full overflow-hidden">{children}</main>;
  return (
    <>
      {header}
      <main className="px-6 py-5">{children}</main>
    </>
  );
}
