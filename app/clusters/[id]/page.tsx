import { notFound } from 'next/navigation';
import { ClusterOverview } from '@/components/cluster/ClusterOverview';
import { allows } from '@/lib/auth/access';
import { pageAccess } from '@/server/auth/pageAccess';
import { listClusters } from '@/server/clusters/snapshot';

export const dynamic = 'force-dynamic';

export default async function ClusterPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const { principal } = await pageAccess('kiosk', `/clusters/${encodeURIComponent(id)}`, (await searchParams).kiosk);
  const cluster = listClusters().find((c) => c.id === id);
  if (!cluster) notFound();
  return (
    <ClusterOverview
      clusterId={cluster.id}
      clusterName={cluster.name}
      canOpenNodes={allows(principal, 'viewer')}
      canOperate={allows(principal, 'operator')}
      isAdmin={allows(principal, 'admin')}
      userName={principal?.kind === 'user' ? principal.name : undefined}
    />
  );
}
