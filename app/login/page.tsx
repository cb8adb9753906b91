import { LoginForm } from '@/components/auth/LoginForm';
import { safeNextPath } from '@/server/auth/kiosk';

export const dynamic = 'force-dynamic';

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { next } = await searchParams;
  return <LoginForm next={safeNextPath(typeof next === 'string' ? next : undefined, '/')} />;
}
