import Link from 'next/link';

/** What a cluster-only page says when its id names a Sentinel deployment: which it is, and the way to its page. */
export function ClusterOnlyPage({ id, name }: { id: string; name: string }) {
  return (
    <div className="space-y-3" data-testid="cluster-only-page" data-cluster-id={id}>
      <h1 className="text-2xl font-semibold">{name} is a Sentinel deployment: this page is for clusters</h1>
      <p className="text-muted">
        A Sentinel deployment has no slots, shards or cluster nodes; its master, replicas, sentinels, trends and slow
        log are on its own page.
      </p>
      <Link href={`/clusters/${encodeURIComponent(id)}`} className="underline" data-testid="deployment-page-link">
        ← {name}
      </Link>
    </div>
  );
}
