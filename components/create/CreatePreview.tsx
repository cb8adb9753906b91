import type { CreateClusterPreview } from '@/lib/api/createCluster';

/** The layout host by host: masters with their slot ranges, replicas with their master, nodes left without slots. */
export function CreatePreview({ preview }: { preview: CreateClusterPreview }) {
  const slotsOf = new Map(preview.layout.masters.map((m) => [m.addr, m.slots]));
  const idOf = (addr: string) => (preview.nodeIds[addr] ?? '').slice(0, 8);
  return (
    <div className="space-y-3" data-testid="create-preview">
      <p className="text-sm">
        {preview.layout.masters.length} masters, {preview.layout.replicas.length} replicas
        {preview.layout.unassigned.length ? `, ${preview.layout.unassigned.length} without slots` : ''} on{' '}
        {preview.layout.byHost.length} host{preview.layout.byHost.length === 1 ? '' : 's'}.
      </p>
      {preview.warnings.length > 0 && (
        <ul className="space-y-1 rounded border border-warn/60 bg-warn/10 p-3 text-sm" data-testid="create-warnings">
          {preview.warnings.map((w) => (
            <li key={w}>⚠ [WARNING] {w}</li>
          ))}
        </ul>
      )}
      <div className="grid gap-3 md:grid-cols-3">
        {preview.layout.byHost.map((host) => (
          <section
            key={host.host}
            className="rounded border border-border bg-panel p-3 text-sm"
            data-testid="create-host"
            data-host={host.host}
          >
            <h3 className="mb-2 font-semibold">{host.host}</h3>
            <ul className="space-y-1">
              {host.masters.map((addr) => (
                <li key={addr} data-testid="create-master" data-addr={addr}>
                  <span className="font-semibold">master</span> <span className="font-mono">{addr}</span>{' '}
                  <span className="text-muted" title={preview.nodeIds[addr]}>
                    {idOf(addr)}
                  </span>{' '}
                  slots <span className="tabular">{slotsOf.get(addr)?.join('-')}</span>
                </li>
              ))}
              {host.replicas.map((r) => (
                <li key={r.addr} data-testid="create-replica" data-addr={r.addr} data-master={r.master}>
                  replica <span className="font-mono">{r.addr}</span> of <span className="font-mono">{r.master}</span>
                </li>
              ))}
              {host.unassigned.map((addr) => (
                <li key={addr} className="text-muted">
                  master without slots <span className="font-mono">{addr}</span>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}
