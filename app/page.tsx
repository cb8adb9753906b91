import { ClusterCards } from '@/components/overview/ClusterCards';
import { allows } from '@/lib/auth/access';
import { pageAccess } from '@/server/auth/pageAccess';
import { listClusters } from '@/server/clusters/snapshot';

export const dynamic = 'force-dynamic';

export default async function HomePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { principal } = await pageAccess('kiosk', '/', (await searchParams).kiosk);
  const clusters = listClusters();
  const heading = clusters.some((c) => c.kind === 'sentinel') ? 'Clusters and Sentinel deployments' : 'Clusters';
  return (
    <section>
      <h1 className="mb-2 text-2xl font-semibold">{heading}</h1>
      <ClusterCards clusters={clusters} linked={allows(principal, 'viewer')} kiosk={principal?.kind === 'kiosk'} />
    </section>
  );
}
