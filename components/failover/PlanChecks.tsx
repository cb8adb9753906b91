import type { ReactNode } from 'react';
import type { CheckStatus, PreCheck } from '@/lib/failover/prechecks';
import { Term } from '../common/Term';

const STYLE = {
  pass: ['✓', 'PASS', 'text-ok'],
  warn: ['!', 'WARN', 'text-warn'],
  fail: ['✕', 'FAIL', 'text-crit'],
} as const;

const ORDER: Record<CheckStatus, number> = { fail: 0, warn: 1, pass: 2 };

/** Checks whose name is a protocol word: the plain words, with the protocol's explanation on hover/focus. */
const PLAIN_NAME: Record<string, ReactNode> = {
  'replica free of FAIL/PFAIL': (
    <>
      replica neither <Term word="FAIL">down</Term> nor <Term word="PFAIL" />
    </>
  ),
  'replica link state': (
    <>
      replica’s <Term word="link" />
    </>
  ),
  master_link_status: <Term word="master_link_status" raw />,
  'offset lag': <Term word="lag">replica behind its master</Term>,
  cluster_state: (
    <Term word="cluster_state" raw>
      cluster state
    </Term>
  ),
};

export const checkName = (name: string): ReactNode => PLAIN_NAME[name] ?? name;

function Rows({ checks, testId }: { checks: PreCheck[]; testId: string }) {
  return (
    <tbody>
      {checks.map((c) => {
        const [icon, word, colour] = STYLE[c.status];
        return (
          <tr
            key={c.name}
            className="border-t border-border align-top"
            data-testid={`${testId}-check`}
            data-status={c.status}
            data-check={c.name}
          >
            <td className={`w-20 py-1 font-semibold ${colour}`}>
              <span aria-hidden="true">{icon}</span> {word}
            </td>
            <td className="w-64 py-1 pr-3">{checkName(c.name)}</td>
            <td className="tabular w-64 break-words py-1 pr-3 font-mono text-xs">{c.value}</td>
            <td className="py-1 text-xs text-muted">{c.detail ?? ''}</td>
          </tr>
        );
      })}
    </tbody>
  );
}

/**
 * Failing checks first, then warnings; the passing ones folded behind their count. `testId` prefixes the test ids
 * (`failover-check`, `reshard-check`, …) so each operation's dialog is addressed by its own name.
 */
export function PlanChecks({ checks, testId = 'failover' }: { checks: PreCheck[]; testId?: string }) {
  const sorted = [...checks].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const problems = sorted.filter((c) => c.status !== 'pass');
  const passed = sorted.filter((c) => c.status === 'pass');
  const failing = problems.filter((c) => c.status === 'fail').length;
  const warnings = problems.length - failing;
  return (
    <div className="space-y-2" data-testid={`${testId}-checks`}>
      <p className="text-sm" data-testid={`${testId}-checks-summary`}>
        <span className="font-semibold">Pre-checks: </span>
        {failing > 0 && <span className="font-semibold text-crit">{failing} failing · </span>}
        {warnings > 0 && (
          <span className="font-semibold text-warn">
            {warnings} warning{warnings === 1 ? '' : 's'} ·{' '}
          </span>
        )}
        <span className="text-ok">{passed.length} passed</span>
      </p>
      {problems.length > 0 && (
        <table className="w-full table-fixed text-left text-sm">
          <Rows checks={problems} testId={testId} />
        </table>
      )}
      {passed.length > 0 && (
        <details className="text-sm" data-testid={`${testId}-checks-passed`}>
          <summary className="cursor-pointer text-muted">
            <span className="text-ok" aria-hidden="true">
              ✓
            </span>{' '}
            {passed.length} check{passed.length === 1 ? '' : 's'} passed
          </summary>
          <table className="mt-1 w-full table-fixed text-left text-sm">
            <Rows checks={passed} testId={testId} />
          </table>
        </details>
      )}
    </div>
  );
}
