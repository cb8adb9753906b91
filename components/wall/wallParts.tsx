import type { CSSProperties, ReactNode } from 'react';
import { TONE_TEXT } from '../overview/healthStyle';

/**
 * Type sized by the tile (container query units: 1cqh = 1 % of the tile's height), so a 4K panel at scale 1 reads like
 * a 1080p TV, and capped by the tile's width so words fit. The floors keep the health word ≥ 8 % and every label ≥ 2 %
 * of the tile's height even on a tall, narrow tile.
 */
export const SIZE = {
  health: 'max(9cqh, min(20cqh, 13cqw))',
  name: 'max(3cqh, min(6.5cqh, 4.8cqw))',
  finding: 'max(3cqh, min(6.5cqh, 4.6cqw))',
  value: 'max(4cqh, min(9cqh, 6.5cqw))',
  /** A value that is words ("no maxmemory"), not a number. */
  wordValue: 'max(3cqh, min(5cqh, 3.4cqw))',
  shard: 'max(2.6cqh, min(5.5cqh, 3.6cqw))',
  label: 'max(2.4cqh, min(4cqh, 2.8cqw))',
  pad: 'min(2.6cqh, 2.6cqw)',
} as const;

export const fs = (fontSize: string): CSSProperties => ({ fontSize });

export function WallStat({
  label,
  value,
  tone,
  testId,
  note,
  big,
}: {
  label: ReactNode;
  value: string;
  tone?: 'warn' | 'crit';
  testId: string;
  /** A line under the value ("+4 not polled"). */
  note?: string;
  /** At a number's size although it is a word (a short state such as "OK"); else numbers big, words smaller. */
  big?: boolean;
}) {
  return (
    <div className="min-w-0">
      <div className="truncate uppercase tracking-wider text-muted" style={fs(SIZE.label)}>
        {label}
      </div>
      <div
        className={`tabular truncate font-bold leading-none ${tone ? TONE_TEXT[tone] : 'text-text'}`}
        style={fs((big ?? /\d/.test(value)) ? SIZE.value : SIZE.wordValue)}
        data-testid={testId}
      >
        {value}
      </div>
      {note && (
        <div className="truncate text-warn" style={fs(SIZE.label)} data-testid={`${testId}-note`}>
          {note}
        </div>
      )}
    </div>
  );
}
