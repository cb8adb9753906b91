import { ReferenceLine } from 'recharts';
import type { ChartMarker } from '@/lib/history/markers';

const COLOUR = { critical: 'var(--crit)', warning: 'var(--warn)', info: 'var(--muted)' } as const;

interface LabelBox {
  viewBox?: { x?: number; y?: number } | object;
}

function point(box: LabelBox['viewBox']): { x: number; y: number } {
  const b = (box ?? {}) as { x?: unknown; y?: unknown };
  return { x: typeof b.x === 'number' ? b.x : 0, y: typeof b.y === 'number' ? b.y : 0 };
}

/** A label needs about this share of the span to its side: closer markers put theirs one line lower. */
const LABEL_ROOM = 0.15;

/**
 * Timeline markers as vertical lines with a short label (the events' messages as the SVG tooltip). Returned as
 * elements, not a component, so recharts sees ReferenceLines among the chart's children. Labels of markers in the
 * right quarter of the span go to the line's left, so they stay inside the plot; labels of markers close together
 * are staggered over three lines so they do not run into each other.
 */
export function markerLines(markers: readonly ChartMarker[], span: { from: number; to: number }, fontSize = 11) {
  const width = Math.max(1, span.to - span.from);
  let previous: { t: number; line: number } | undefined;
  return markers.map((m) => {
    const line = previous && (m.t - previous.t) / width < LABEL_ROOM ? (previous.line + 1) % 3 : 0;
    previous = { t: m.t, line };
    const leftSide = (m.t - span.from) / width > 0.75;
    const colour = COLOUR[m.severity];
    return (
      <ReferenceLine
        key={`${m.t}-${m.label}`}
        x={m.t}
        stroke={colour}
        strokeDasharray="3 3"
        ifOverflow="hidden"
        className="chart-marker"
        label={{
          content: ({ viewBox }: LabelBox) => {
            const { x, y } = point(viewBox);
            return (
              <g className="chart-marker-label" data-marker={m.kinds.join(' ')}>
                <title>{m.detail}</title>
                <text
                  x={leftSide ? x - 3 : x + 3}
                  y={y + fontSize * (1 + line * 1.1)}
                  textAnchor={leftSide ? 'end' : 'start'}
                  fill={colour}
                  fontSize={fontSize}
                  fontWeight={600}
                >
                  {m.label}
                </text>
              </g>
            );
          },
        }}
      />
    );
  });
}

/**
 * Where the points change from 1-minute means (the store) to the polls' own samples: a vertical line saying so, so a
 * smoother left part is not read as a calmer cluster.
 */
export function resolutionLine(until: number | undefined, span: { from: number; to: number }, fontSize = 11) {
  if (until === undefined || until < span.from || until > span.to) return null;
  const leftSide = (until - span.from) / Math.max(1, span.to - span.from) > 0.5;
  return (
    <ReferenceLine
      key="resolution"
      x={until}
      stroke="var(--muted)"
      strokeDasharray="1 3"
      ifOverflow="hidden"
      className="chart-resolution"
      label={{
        content: ({ viewBox }: LabelBox) => {
          const { x, y } = point(viewBox);
          return (
            <g className="chart-resolution-label" data-testid="resolution-change">
              <title>
                Before this line each point is a 1-minute mean kept in the store; after it, the polls' own samples.
              </title>
              <text
                x={leftSide ? x - 3 : x + 3}
                y={y + fontSize * 4.4}
                textAnchor={leftSide ? 'end' : 'start'}
                fill="var(--muted)"
                fontSize={fontSize}
              >
                {leftSide ? '1-min means | per poll →' : '← 1-min means | per poll'}
              </text>
            </g>
          );
        },
      }}
    />
  );
}
