import { WallView } from '@/components/wall/WallView';
import { allows } from '@/lib/auth/access';
import { pageAccess } from '@/server/auth/pageAccess';
import { listClusters } from '@/server/clusters/snapshot';

export const dynamic = 'force-dynamic';

export default async function WallPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { principal } = await pageAccess('kiosk', '/wall', (await searchParams).kiosk);
  return (
    <WallView clusters={listClusters()} linked={allows(principal, 'viewer')} kiosk={principal?.kind === 'kiosk'} />
  );
}
