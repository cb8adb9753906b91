'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import { shardColors } from '@/lib/cluster/shardColors';
import type { SnapshotNode } from '@/lib/cluster/types';
import { useWindow, WINDOW_ABOVE } from '../common/useWindow';
import { type ShardActions, ShardCard } from './ShardCard';

/** A card's least width (25rem) and the grid's gap, px: how many cards a row holds at a given width. */
const CARD_MIN_PX = 400;
const GAP_PX = 12;
/** A card's height, px, estimated from its replicas (header two lines, each replica two lines with a button). */
const cardPx = (replicas: number) => (replicas === 0 ? 112 : 84 + 50 * replicas);

/** Cards per row in a box this wide, as `repeat(auto-fill, minmax(25rem, 1fr))` lays them out. */
function useColumns(el: HTMLElement | null): number {
  const [columns, setColumns] = useState(2);
  useEffect(() => {
    if (!el) return;
    const measure = () => setColumns(Math.max(1, Math.floor((el.clientWidth + GAP_PX) / (CARD_MIN_PX + GAP_PX))));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [el]);
  return columns;
}

/**
 * Each shard: its master, and per replica the link, replication link, lag, last pong, flags and epoch on two lines, so
 * the Promote button never hides behind a horizontal scroll (1366 px wide screens included). Past WINDOW_ABOVE rows of
 * cards the grid scrolls in a box of its own and only the rows in view are in the page.
 */
export function ShardsView({ nodes, now, ...actions }: ShardActions & { nodes: SnapshotNode[]; now: number }) {
  const colours = useMemo(() => shardColors(nodes), [nodes]);
  const shards = useMemo(() => {
    const replicasOf = new Map<string, SnapshotNode[]>();
    for (const n of nodes) {
      if (n.role !== 'replica' || !n.masterId) continue;
      const list = replicasOf.get(n.masterId);
      if (list) list.push(n);
      else replicasOf.set(n.masterId, [n]);
    }
    return nodes
      .filter((n) => n.role === 'master' && n.slotCount > 0)
      .map((master) => ({ master, replicas: replicasOf.get(master.id) ?? [] }));
  }, [nodes]);
  // Past WINDOW_ABOVE shards, the cards go in rows of as many as the box fits, and the rows are windowed.
  const windowed = shards.length > WINDOW_ABOVE;
  const [gridBox, setGridBox] = useState<HTMLDivElement | null>(null);
  const perRow = useColumns(gridBox);
  const rows = useMemo(() => {
    const out: (typeof shards)[] = [];
    for (let i = 0; i < shards.length; i += perRow) out.push(shards.slice(i, i + perRow));
    return out;
  }, [shards, perRow]);
  const heights = useMemo(
    () => rows.map((row) => Math.max(...row.map((s) => cardPx(s.replicas.length))) + GAP_PX),
    [rows],
  );
  const { box, window } = useWindow<HTMLDivElement>(rows.length, heights, windowed);
  // Stable: a new ref function every render would set the box again, re-render, and so on.
  const gridRef = useCallback(
    (el: HTMLDivElement | null) => {
      box.current = el;
      setGridBox(el);
    },
    [box],
  );
  const card = (s: (typeof shards)[number]) => (
    <ShardCard
      key={s.master.id}
      master={s.master}
      replicas={s.replicas}
      colour={colours.get(s.master.id)}
      now={now}
      {...actions}
    />
  );
  const grid = 'grid gap-3 [grid-template-columns:repeat(auto-fill,minmax(min(100%,25rem),1fr))]';
  if (!windowed) {
    return (
      <div className={grid} data-testid="shards">
        {shards.map(card)}
      </div>
    );
  }
  return (
    <div
      ref={gridRef}
      className="max-h-[70vh] overflow-y-auto"
      data-testid="shards"
      data-windowed="true"
      data-shards={shards.length}
    >
      <div style={{ height: window.padTop }} />
      {rows.slice(window.start, window.end).map((row, i) => (
        <div
          key={row[0]?.master.id ?? i}
          className="grid gap-3 pb-3"
          style={{
            gridTemplateColumns: `repeat(${perRow}, minmax(0, 1fr))`,
            minHeight: heights[window.start + i],
          }}
        >
          {row.map(card)}
        </div>
      ))}
      <div style={{ height: window.padBottom }} />
    </div>
  );
}
