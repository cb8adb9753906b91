'use client';

import { useState } from 'react';
import type { Finding } from '@/lib/findings';

const STYLE = {
  critical: { icon: '✕', word: 'CRITICAL', className: 'border-crit/60 bg-crit/10', label: 'text-crit' },
  warning: { icon: '!', word: 'WARNING', className: 'border-warn/50 bg-warn/5', label: 'text-warn' },
  info: { icon: 'i', word: 'INFO', className: 'border-border bg-panel', label: 'text-muted' },
} as const;

/** What is wrong and what to do, most severe first; each with a word and an icon, never colour alone. */
/** Findings the fix (redis-cli --cluster fix's cases) repairs: open slots, and slots no master serves. */
export const FIXABLE = new Set(['slot_open', 'slots_uncovered']);

/**
 * Findings of one kind shown before "N more like this": on a 1,000-node cluster one cause (the dashboard's network
 * path, say) can give a finding per node, and the list must not push everything else off the screen.
 */
export const FINDINGS_PER_CODE = 10;

type Entry = { finding: Finding } | { more: string; total: number };

/** The findings shown, a kind past FINDINGS_PER_CODE cut short (unless opened) with one "more" entry in its place. */
function entriesOf(findings: Finding[], opened: ReadonlySet<string>): Entry[] {
  const total = new Map<string, number>();
  for (const f of findings) total.set(f.code, (total.get(f.code) ?? 0) + 1);
  const seen = new Map<string, number>();
  const out: Entry[] = [];
  for (const f of findings) {
    const n = (seen.get(f.code) ?? 0) + 1;
    seen.set(f.code, n);
    if (n <= FINDINGS_PER_CODE || opened.has(f.code)) out.push({ finding: f });
    else if (n === FINDINGS_PER_CODE + 1) out.push({ more: f.code, total: total.get(f.code) ?? n });
  }
  return out;
}

export function FindingsList({ findings, onFix }: { findings: Finding[]; onFix?: () => void }) {
  const [opened, setOpened] = useState<ReadonlySet<string>>(new Set());
  const entries = entriesOf(findings, opened);
  if (findings.length === 0) {
    return (
      <p className="rounded-lg border border-ok/40 bg-ok/5 px-4 py-3 text-ok" data-testid="findings-none">
        <span aria-hidden="true">✓</span> No findings: every rule passes.
      </p>
    );
  }
  return (
    <ul className="space-y-2" data-testid="findings">
      {entries.map((entry) => {
        if ('more' in entry) {
          const { more: code, total } = entry;
          return (
            <li key={`more-${code}`} className="px-4 text-sm text-muted" data-testid="findings-more" data-code={code}>
              {total - FINDINGS_PER_CODE} more like “{code.replaceAll('_', ' ')}” ({total} in all){' '}
              <button
                type="button"
                className="rounded border border-border px-2 py-0.5 text-text hover:border-muted"
                onClick={() => setOpened((o) => new Set([...o, code]))}
              >
                Show all
              </button>
            </li>
          );
        }
        const f = entry.finding;
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
