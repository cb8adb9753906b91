import Link from 'next/link';
import { pageAccess } from '@/server/auth/pageAccess';
import { listClusters } from '@/server/clusters/snapshot';

export const dynamic = 'force-dynamic';

export default async function HomePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await pageAccess('kiosk', '/', (await searchParams).kiosk);
  const clusters = listClusters();
  return (
    <section>
      <h1 className="mb-4 text-2xl font-semibold">Clusters</h1>
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="cluster-list">
        {clusters.map((c) => (
          <li key={c.id}>
            <Link
              href={`/clusters/${encodeURIComponent(c.id)}`}
              className="block rounded border border-border bg-panel p-4 hover:border-muted"
            >
              <div className="text-lg font-medium">{c.name}</div>
              <div className="text-sm text-muted">{c.id}</div>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
