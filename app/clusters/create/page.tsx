import { Forbidden } from '@/components/auth/Forbidden';
import { CreateClusterForm } from '@/components/create/CreateClusterForm';
import { pageAccess } from '@/server/auth/pageAccess';
import { listClusters } from '@/server/clusters/snapshot';
import { currentConfig } from '@/server/collect/pollers';

export const dynamic = 'force-dynamic';

/** A static segment: it wins over /clusters/[id], which is why the config refuses a cluster with id "create". */
export default async function CreateClusterPage() {
  const { allowed } = await pageAccess('admin', '/clusters/create');
  if (!allowed) return <Forbidden needs="admin" />;
  // New nodes most often get the login of the clusters already here: default to the first one that has a password.
  const configured = currentConfig().clusters;
  const defaultLoginFrom = (configured.find((c) => c.password) ?? configured[0])?.id;
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Create a cluster</h1>
      <CreateClusterForm
        clusters={listClusters().map((c) => ({ id: c.id, name: c.name }))}
        defaultLoginFrom={defaultLoginFrom}
      />
    </section>
  );
}
