import { ApiError } from '@/server/api/errors';
import { route } from '@/server/api/handler';
import { keySlot } from '@/server/clusters/keyslot';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>({ access: 'viewer' }, async ({ request, params }) => {
  const key = new URL(request.url).searchParams.get('key');
  if (key === null) throw new ApiError('bad_request', 'give the key as ?key=', ['key: required']);
  if (key.length > 4096) throw new ApiError('bad_request', 'key longer than 4096 characters', ['key: too long']);
  return keySlot(params.id, key);
});
