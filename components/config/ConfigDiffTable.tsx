import type { ConfigDiff, ConfigValue } from '@/lib/nodeConfig/diff';

function Values({ values, side }: { values: ConfigValue[]; side: string }) {
  if (values.length === 0) return <span className="text-muted">no {side}</span>;
  return (
    <ul className="space-y-1">
      {values.map((v) => (
        <li key={v.value} data-testid="config-value" data-value={v.value}>
          <code className="break-all font-mono">{v.value === '' ? '(empty)' : v.value}</code>{' '}
          <span className="text-xs text-muted">
            on {v.nodes.length} ({v.nodes.map((n) => n.addr).join(', ')})
          </span>
        </li>
      ))}
    </ul>
  );
}

/** One row per parameter that differs: each value with the nodes holding it, masters and replicas apart. */
export function ConfigDiffTable({ diff }: { diff: ConfigDiff }) {
  if (diff.params.length === 0)
    return (
      <p className="text-ok" data-testid="config-same">
        Every parameter is the same on the {diff.read} nodes read.
      </p>
    );
  return (
    <table className="w-full text-left text-sm" data-testid="config-diff">
      <thead className="text-xs text-muted">
        <tr>
          <th className="w-64 pr-3 font-normal">parameter</th>
          <th className="pr-3 font-normal">masters</th>
          <th className="font-normal">replicas</th>
        </tr>
      </thead>
      <tbody>
        {diff.params.map((p) => (
          <tr
            key={p.name}
            className={`border-t border-border align-top ${p.perNode ? 'text-muted' : ''}`}
            data-testid="config-param"
            data-param={p.name}
          >
            <td className="py-1 pr-3 font-mono">
              {p.name}
              {p.perNode && <span className="block font-sans text-xs">differs per node by nature</span>}
              {p.secret && <span className="block font-sans text-xs">secret: values never shown</span>}
            </td>
            <td className="py-1 pr-3">
              <Values values={p.masters} side="master" />
            </td>
            <td className="py-1">
              <Values values={p.replicas} side="replica" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
