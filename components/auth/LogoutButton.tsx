'use client';

import { useRouter } from 'next/navigation';
import { apiPost } from '@/lib/client/mutate';

export function LogoutButton() {
  const router = useRouter();
  return (
    <button
      type="button"
      className="rounded border border-border px-3 py-1 text-sm hover:border-muted"
      onClick={async () => {
        await apiPost('/api/auth/logout').catch(() => undefined);
        router.replace('/login');
        router.refresh();
      }}
    >
      Log out
    </button>
  );
}
