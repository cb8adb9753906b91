import type { PreCheck } from '@/lib/failover/prechecks';

const STYLE = {
  pass: ['✓', 'PASS', 'text-ok'],
  warn: ['!', 'WARN', 'text-warn'],
  fail: ['✕', 'FAIL', 'text-crit'],
} as const;

export function PlanChecks({ checks }: { checks: PreCheck[] }) {
  return (
    <table className="w-full text-left text-sm" data-testid="failover-checks">
      <tbody>
        {checks.map((c) => {
          const [icon, word, colour] = STYLE[c.status];
          return (
            <tr
              key={c.name}
              className="border-t border-border align-top"
              data-testid="failover-check"
              data-status={c.status}
            >
              <td className={`w-20 py-1 font-semibold ${colour}`}>
                <span aria-hidden="true">{icon}</span> {word}
              </td>
              <td className="py-1 pr-3">{c.name}</td>
              <td className="tabular py-1 pr-3 font-mono text-xs">{c.value}</td>
              <td className="py-1 text-xs text-muted">{c.detail ?? ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
