const TONE = { ok: 'bg-ok', warn: 'bg-warn', crit: 'bg-crit' } as const;

/** A job's progress bar with its units for assistive tech; the caller picks the status tone from the job's state. */
export function ProgressBar({
  done,
  total,
  label,
  tone,
  tall = false,
  valueText,
}: {
  done: number;
  total: number;
  label: string;
  tone: keyof typeof TONE;
  tall?: boolean;
  valueText?: string;
}) {
  const percent = total > 0 ? Math.min(100, (100 * done) / total) : 0;
  return (
    <div
      className={`${tall ? 'h-3' : 'h-2'} flex-1 overflow-hidden rounded bg-border`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      {...(valueText ? { 'aria-valuetext': valueText } : {})}
    >
      <div className={`h-full ${TONE[tone]}`} style={{ width: `${percent}%` }} />
    </div>
  );
}
