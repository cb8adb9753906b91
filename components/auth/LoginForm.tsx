'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { apiPost } from '@/lib/client/mutate';

export function LoginForm({ next }: { next: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      await apiPost('/api/auth/login', {
        username: String(form.get('username') ?? ''),
        password: String(form.get('password') ?? ''),
      });
      router.replace(next);
      router.refresh();
    } catch (err) {
      setError((err as Error).message);
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
      <button
        type="submit"
        disabled={busy}
        className="rounded bg-text px-4 py-2 font-semibold text-bg disabled:opacity-50"
      >
        {busy ? 'Logging in…' : 'Log in'}
      </button>
    </form>
  );
}
