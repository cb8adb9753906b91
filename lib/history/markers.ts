import type { TimelineEvent } from '../timeline/diff';

/** Timeline events drawn on the charts, with the short label each marker carries. */
export const MARKER_LABEL = {
  failover: 'failover',
  node_fail: 'FAIL',
  node_restarted: 'restart',
} as const;
export type MarkerKind = keyof typeof MARKER_LABEL;

export interface ChartMarker {
  /** Epoch ms (of the first event when several are merged). */
  t: number;
  kinds: MarkerKind[];
  /** "FAIL + failover": the distinct labels, in order. */
  label: string;
  /** The events' messages, one a line, for the tooltip and the text list. */
  detail: string;
  severity: TimelineEvent['severity'];
  nodeIds: string[];
}

const isMarker = (kind: string): kind is MarkerKind => kind in MARKER_LABEL;
const RANK = { critical: 2, warning: 1, info: 0 } as const;

/**
 * Failover, FAIL and restart events between `from` and `to` (epoch ms), oldest first, as chart markers. Events closer
 * than `mergeWithinMs` to a marker's first event join it (a FAIL and the failover it causes are a second or two apart:
 * two labels there would overlap). With `nodeId`, only the events naming that node.
 */
export function chartMarkers(
  events: readonly TimelineEvent[],
  options: { from: number; to: number; mergeWithinMs: number; nodeId?: string },
): ChartMarker[] {
  const picked = events
    .filter((e) => isMarker(e.kind) && (!options.nodeId || e.nodeIds.includes(options.nodeId)))
    .map((e) => ({ e, t: Date.parse(e.at) }))
    .filter(({ t }) => t >= options.from && t <= options.to)
    .sort((a, b) => a.t - b.t);
  const markers: ChartMarker[] = [];
  for (const { e, t } of picked) {
    const kind = e.kind as MarkerKind;
    const last = markers.at(-1);
    if (last && t - last.t <= options.mergeWithinMs) {
      if (!last.kinds.includes(kind)) last.kinds.push(kind);
      last.label = [...new Set(last.kinds.map((k) => MARKER_LABEL[k]))].join(' + ');
      last.detail += `\n${e.message}`;
      if (RANK[e.severity] > RANK[last.severity]) last.severity = e.severity;
      for (const id of e.nodeIds) if (!last.nodeIds.includes(id)) last.nodeIds.push(id);
      continue;
    }
    markers.push({
      t,
      kinds: [kind],
      label: MARKER_LABEL[kind],
      detail: e.message,
      severity: e.severity,
      nodeIds: [...e.nodeIds],
    });
  }
  return markers;
}
