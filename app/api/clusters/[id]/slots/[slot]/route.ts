import { isSlot } from '@/lib/redis/slots';
import { ApiError } from '@/server/api/errors';
import { route } from '@/server/api/handler';
import { slotDetail } from '@/server/clusters/keyslot';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route<{ id: string; slot: string }>({ access: 'viewer' }, async ({ params }) => {
  const slot = Number(params.slot);
  if (!/^\d+$/.test(params.slot) || !isSlot(slot))
    throw new ApiError('bad_request', 'slot must be 0-16383', ['slot: 0-16383']);
  return slotDetail(params.id, slot);
});
