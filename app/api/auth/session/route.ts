import type { SessionInfo } from '@/lib/api/types';
import { principalLabel } from '@/lib/auth/access';
import { route } from '@/server/api/handler';
import { currentConfig } from '@/server/collect/pollers';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route({ access: 'kiosk' }, async ({ principal }): Promise<SessionInfo> => {
  const { user, role } = principalLabel(principal);
  return { user, role: role as SessionInfo['role'], readOnly: currentConfig().readOnly };
});
