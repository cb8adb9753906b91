import { GLOSSARY } from '@/lib/glossary';

/**
 * Flags as plain words with the protocol word and an icon, never colour alone; the explanation on hover/focus.
 * "fail?" is what Redis prints for PFAIL.
 */
const LOUD: Record<string, { word: 'FAIL' | 'PFAIL' | 'HANDSHAKE' | 'NOADDR'; icon: string; className: string }> = {
  fail: { word: 'FAIL', icon: '✕', className: 'bg-crit/20 text-crit' },
  'fail?': { word: 'PFAIL', icon: '!', className: 'bg-warn/20 text-warn' },
  handshake: { word: 'HANDSHAKE', icon: '…', className: 'bg-warn/20 text-warn' },
  noaddr: { word: 'NOADDR', icon: '?', className: 'bg-warn/20 text-warn' },
};

export function NodeFlags({ flags }: { flags: string[] }) {
  const shown = flags.filter((f) => f !== 'master' && f !== 'slave');
  if (shown.length === 0) return <span className="text-muted">–</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {shown.map((flag) => {
        const loud = LOUD[flag];
        if (!loud)
          return (
            <span key={flag} className="rounded bg-border px-1.5 text-muted">
              {flag}
            </span>
          );
        const entry = GLOSSARY[loud.word];
        return (
          <abbr
            key={flag}
            title={entry.tip}
            className={`cursor-help whitespace-nowrap rounded px-1.5 font-semibold no-underline ${loud.className}`}
            data-flag={loud.word}
          >
            <span aria-hidden="true">{loud.icon}</span> {entry.label}{' '}
            <span className="font-normal opacity-80">({loud.word})</span>
          </abbr>
        );
      })}
    </span>
  );
}
