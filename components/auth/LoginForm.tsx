'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiClientError } from '@/lib/client/api';
import { apiPost } from '@/lib/client/mutate';
import { markSessionStarted } from '@/lib/client/session';

/** Seconds left until `until` (a client-clock time), counting down each second; 0 once it has passed. */
function useSecondsUntil(until: number | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === undefined) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [until]);
  return until === undefined ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

export function LoginForm({ next }: { next: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // After too many failed logins (429) the server checks no password until Retry-After has passed.
  const [wait, setWait] = useState<{ until: number; throttled: boolean }>();
  const waitSeconds = useSecondsUntil(wait?.until);
  const waiting = waitSeconds > 0;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    setWait(undefined);
    try {
      await apiPost('/api/auth/login', {
        username: String(form.get('username') ?? ''),
        password: String(form.get('password') ?? ''),
      });
      markSessionStarted();
      router.replace(next);
      router.refresh();
    } catch (err) {
      if (err instanceof ApiClientError && err.status === 429 && err.retryAfterSeconds) {
        // "too many failed logins …" (this user or this address); otherwise the check queue was full.
        setWait({ until: Date.now() + err.retryAfterSeconds * 1000, throttled: err.message.startsWith('too many') });
      } else {
        setError((err as Error).message);
      }
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={submit}
      className="mx-auto mt-16 flex max-w-sm flex-col gap-4 rounded-lg border border-border bg-panel p-6"
    >
      <h1 className="text-xl font-semibold">Log in</h1>
      <label className="flex flex-col gap-1 text-sm">
        User name
        <input
          name="username"
          autoComplete="username"
          required
          className="rounded border border-border bg-bg px-3 py-2 text-base"
        />
      </label>
      <label className="flex flex-col gap-1 text-sm">
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="rounded border border-border bg-bg px-3 py-2 text-base"
        />
      </label>
      {error && (
        <p role="alert" className="text-sm text-crit" data-testid="login-error">
          {error}
        </p>
      )}
      {waiting && (
        <p role="alert" className="text-sm text-crit" data-testid="login-wait" data-seconds={waitSeconds}>
          {wait?.throttled
            ? 'Your password was not checked: too many failed attempts from here.'
            : 'Your password was not checked: the login service is busy.'}{' '}
          Try again in {waitSeconds} s.
        </p>
      )}
      <button
        type="submit"
        disabled={busy || waiting}
        className="rounded bg-text px-4 py-2 font-semibold text-bg disabled:opacity-50"
      >
        {busy ? 'Logging in…' : 'Log in'}
      </button>
    </form>
  );
}
