import { route } from '@/server/api/handler';
import { configDiff } from '@/server/ops/configDiff';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Viewer: read-only, and secrets (requirepass, masterauth) are never in the answer. */
export const GET = route<{ id: string }>({ access: 'viewer' }, async ({ params }) => configDiff(params.id));
