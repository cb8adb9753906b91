'use client';

/**
 * Said instead of the page's data once the session has ended (see lib/client/session.ts): an ended session is no
 * cluster outage, so nothing here uses the health words or colours. `kiosk`: a wall screen, which has no login;
 * `wall`: sized to be read across a room.
 */
export function SessionEnded({ kiosk, wall = false }: { kiosk: boolean; wall?: boolean }) {
  const size = wall ? { fontSize: 'min(6vh, 5vw)' } : undefined;
  const here = typeof window === 'undefined' ? '/' : `${window.location.pathname}${window.location.search}`;
  return (
    <div
      role="alert"
      className={`w-full rounded-lg border-4 border-text bg-panel font-semibold text-text ${wall ? 'p-[4vh] leading-tight' : 'px-5 py-4 text-lg'}`}
      style={size}
      data-testid="session-ended"
      data-kiosk={String(kiosk)}
    >
      {kiosk ? (
        <>
          This screen's kiosk link is no longer valid (the token was replaced, or the session expired). Open the new
          kiosk link.
        </>
      ) : (
        <>
          Your session has ended (logged out, or your account or password changed).{' '}
          <a className="underline" href={`/login?next=${encodeURIComponent(here)}`} data-testid="session-ended-login">
            Log in again
          </a>
        </>
      )}
    </div>
  );
}
