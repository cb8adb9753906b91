import { notFound } from 'next/navigation';
import { ClusterOverview } from '@/components/cluster/ClusterOverview';
import { listClusters } from '@/server/clusters/snapshot';

export const dynamic = 'force-dynamic';

export default async function ClusterPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const cluster = listClusters().find((c) => c.id === id);
  if (!cluster) notFound();
  return <ClusterOverview clusterId={cluster.id} clusterName={cluster.name} />;
}
