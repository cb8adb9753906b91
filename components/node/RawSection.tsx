import type { ReactNode } from 'react';

/** A raw section of the node page: collapsed by default, with one line saying what is inside. */
export function RawSection({
  id,
  title,
  line,
  children,
}: {
  id: string;
  title: string;
  /** What is inside, in a few words, shown while collapsed. */
  line: ReactNode;
  children: ReactNode;
}) {
  return (
    <details className="group rounded-lg border border-border bg-panel" data-testid="node-raw" data-section={id}>
      <summary className="flex cursor-pointer flex-wrap items-baseline gap-x-3 px-3 py-2 hover:bg-border/30">
        <span className="inline-block w-3 text-muted transition-transform group-open:rotate-90" aria-hidden="true">
          ▸
        </span>
        <h2 className="text-lg font-semibold">{title}</h2>
        <span className="text-sm text-muted" data-testid="node-raw-line">
          {line}
        </span>
      </summary>
      <div className="border-t border-border p-3">{children}</div>
    </details>
  );
}
