import Link from 'next/link';
import { type HistoryWindow, WINDOWS } from '@/lib/history/types';

/** The trends' title, the way back to the deployment's page and the window buttons (a cluster's or a Sentinel's). */
export function TrendsHeader({
  id,
  name,
  window,
  onWindow,
}: {
  id: string;
  name: string;
  window: HistoryWindow;
  onWindow: (w: HistoryWindow) => void;
}) {
  return (
    <div className="flex flex-wrap items-baseline justify-between gap-3">
      <h1 className="text-2xl font-semibold">
        {name} <span className="text-base font-normal text-muted">trends</span>
      </h1>
      <fieldset className="flex items-center gap-2" aria-label="Window">
        <Link href={`/clusters/${encodeURIComponent(id)}`} className="mr-4 text-sm text-muted underline">
          ← overview
        </Link>
        {(Object.keys(WINDOWS) as HistoryWindow[]).map((w) => (
          <button
            key={w}
            type="button"
            aria-pressed={w === window}
            className={`rounded border px-3 py-1 text-sm ${w === window ? 'border-text bg-text text-bg' : 'border-border'}`}
            onClick={() => onWindow(w)}
          >
            {w}
          </button>
        ))}
      </fieldset>
    </div>
  );
}
