export interface TableSeries {
  key: string;
  label: string;
  /** Shard colour swatch, as on the chart. */
  colour?: string;
  values: ReadonlyArray<number | null | undefined>;
}

function summary(values: TableSeries['values']) {
  const known = values.filter((v): v is number => typeof v === 'number');
  const last = values.at(-1);
  if (!known.length) return { last: null, min: null, avg: null, max: null, missing: values.length };
  return {
    last: typeof last === 'number' ? last : null,
    min: Math.min(...known),
    avg: known.reduce((s, v) => s + v, 0) / known.length,
    max: Math.max(...known),
    missing: values.length - known.length,
  };
}

/**
 * The chart as text (UI guide: every chart has a table fallback): per series, the latest value and min / avg / max
 * over the window, and how many samples are missing. Collapsed under the chart.
 */
export function SeriesTable({
  series,
  format,
  caption,
}: {
  series: readonly TableSeries[];
  format: (v: number) => string;
  caption: string;
}) {
  const f = (v: number | null) => (v === null ? '–' : format(v));
  const num = 'whitespace-nowrap px-2 py-1 text-right';
  return (
    <details className="mt-1 text-xs" data-testid="chart-table">
      <summary className="cursor-pointer text-muted">Table</summary>
      <table className="tabular mt-1 w-full max-w-4xl text-left">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-muted">
          <tr>
            <th className="px-2 py-1 font-normal">series</th>
            <th className="px-2 py-1 text-right font-normal">now</th>
            <th className="px-2 py-1 text-right font-normal">min</th>
            <th className="px-2 py-1 text-right font-normal">avg</th>
            <th className="px-2 py-1 text-right font-normal">max</th>
            <th className="px-2 py-1 text-right font-normal">missing samples</th>
          </tr>
        </thead>
        <tbody>
          {series.map((s) => {
            const v = summary(s.values);
            return (
              <tr key={s.key} className="border-t border-border">
                <td className="whitespace-nowrap px-2 py-1">
                  {s.colour && (
                    <span
                      aria-hidden
                      className="mr-1 inline-block size-2 rounded-sm"
                      style={{ backgroundColor: s.colour }}
                    />
                  )}
                  {s.label}
                </td>
                <td className={num}>{f(v.last)}</td>
                <td className={num}>{f(v.min)}</td>
                <td className={num}>{f(v.avg)}</td>
                <td className={num}>{f(v.max)}</td>
                <td className={num}>{v.missing}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </details>
  );
}
