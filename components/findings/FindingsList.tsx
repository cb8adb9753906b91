import type { Finding } from '@/lib/findings';

const STYLE = {
  critical: { icon: '✕', word: 'CRITICAL', className: 'border-crit/60 bg-crit/10', label: 'text-crit' },
  warning: { icon: '!', word: 'WARNING', className: 'border-warn/50 bg-warn/5', label: 'text-warn' },
  info: { icon: 'i', word: 'INFO', className: 'border-border bg-panel', label: 'text-muted' },
} as const;

/** What is wrong and what to do, most severe first; each with a word and an icon, never colour alone. */
/** Findings the fix (redis-cli --cluster fix's cases) repairs: open slots, and slots no master serves. */
export const FIXABLE = new Set(['slot_open', 'slots_uncovered']);

export function FindingsList({ findings, onFix }: { findings: Finding[]; onFix?: () => void }) {
  if (findings.length === 0) {
    return (
      <p className="rounded-lg border border-ok/40 bg-ok/5 px-4 py-3 text-ok" data-testid="findings-none">
        <span aria-hidden="true">✓</span> No findings: every rule passes.
      </p>
    );
  }
  return (
    <ul className="space-y-2" data-testid="findings">
      {findings.map((f) => {
        const style = STYLE[f.severity];
        return (
          <li
            key={`${f.code}-${f.nodeIds.join(',')}-${f.slots?.[0] ?? ''}`}
            className={`rounded-lg border px-4 py-2 ${style.className}`}
            data-testid="finding"
            data-code={f.code}
            data-severity={f.severity}
          >
            <div className="flex flex-wrap items-baseline gap-x-3">
              <span className={`text-sm font-bold ${style.label}`}>
                <span aria-hidden="true">{style.icon}</span> {style.word}
              </span>
              <span className="min-w-0 [overflow-wrap:anywhere]">{f.message}</span>
            </div>
            <div className="flex flex-wrap items-baseline gap-x-3 text-sm text-muted [overflow-wrap:anywhere]">
              <span>→ {f.action}</span>
              {onFix && FIXABLE.has(f.code) && (
                <button
                  type="button"
                  className="rounded border border-border px-2 py-0.5 text-text hover:border-warn"
                  onClick={onFix}
                  data-testid="fix-open"
                  title="Open the fix: the plan per slot (what redis-cli --cluster fix would do) first; nothing changes until you confirm"
                >
                  Fix…
                </button>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
