/** Flags as words with an icon, never colour alone. "fail?" is what Redis prints for PFAIL. */
const LOUD: Record<string, { label: string; icon: string; className: string }> = {
  fail: { label: 'FAIL', icon: '✕', className: 'bg-crit/20 text-crit' },
  'fail?': { label: 'PFAIL', icon: '!', className: 'bg-warn/20 text-warn' },
  handshake: { label: 'HANDSHAKE', icon: '…', className: 'bg-warn/20 text-warn' },
  noaddr: { label: 'NOADDR', icon: '?', className: 'bg-warn/20 text-warn' },
};

export function NodeFlags({ flags }: { flags: string[] }) {
  const shown = flags.filter((f) => f !== 'master' && f !== 'slave');
  if (shown.length === 0) return <span className="text-muted">–</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {shown.map((flag) => {
        const loud = LOUD[flag];
        return loud ? (
          <span key={flag} className={`rounded px-1.5 font-semibold ${loud.className}`} data-flag={loud.label}>
            <span aria-hidden="true">{loud.icon}</span> {loud.label}
          </span>
        ) : (
          <span key={flag} className="rounded bg-border px-1.5 text-muted">
            {flag}
          </span>
        );
      })}
    </span>
  );
}
