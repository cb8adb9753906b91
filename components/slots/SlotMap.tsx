'use client';

import { type KeyboardEvent, type MouseEvent, useEffect, useMemo, useRef, useState } from 'react';
import { hexToRgb, MAP_COLUMNS, MAP_ROWS, mapHeight, type SlotMapModel } from '@/lib/cluster/slotMap';
import type { OverlayLevel } from '@/lib/cluster/slotOverlay';
import { rangeOutline } from '@/lib/cluster/slotSelection';
import { MAX_SLOT, type SlotRange, slotCount } from '@/lib/redis/slots';

const UNCOVERED_RGB: [number, number, number] = [20, 0, 0];
/** The status colours of app/globals.css (--warn, --crit): the overlay means status, never a shard. */
export const OVERLAY_COLOUR: Record<OverlayLevel, string> = { warning: '#f2b632', critical: '#ff4d4f' };
/** Over an overlaid slot the shard colour is dimmed by this much of the page background, then hatched. */
const OVERLAY_DIM = 'rgba(11, 15, 20, 0.4)';
/** Hatch period and line width in CSS px: wide enough to read as stripes across several cells at any size. */
const HATCH_PERIOD = 8;
const HATCH_LINE = 2.5;
/** The selected range: tinted with the text colour and outlined, so it reads over any shard colour. */
const SELECTION_TINT = 'rgba(230, 237, 243, 0.3)';
const SELECTION_LINE = '#e6edf3';

/** A running slot move drawn over the map: the slots being moved now, and those already moved. */
export interface SlotMarks {
  inFlight: readonly number[];
  moved: readonly SlotRange[];
}

/** Strokes a range's outline (cell units) on a map of cellW × cellH pixel cells. */
function outline(ctx: CanvasRenderingContext2D, range: SlotRange, cellW: number, cellH: number) {
  ctx.beginPath();
  for (const [x1, y1, x2, y2] of rangeOutline(range, MAP_COLUMNS)) {
    ctx.moveTo(x1 * cellW, y1 * cellH);
    ctx.lineTo(x2 * cellW, y2 * cellH);
  }
  ctx.stroke();
}

/** A tile of diagonal "/" stripes in the status colour; it repeats seamlessly. */
function hatchTile(level: OverlayLevel, scale: number): HTMLCanvasElement {
  const size = Math.max(4, Math.round(HATCH_PERIOD * scale));
  const tile = document.createElement('canvas');
  tile.width = size;
  tile.height = size;
  const ctx = tile.getContext('2d');
  if (!ctx) return tile;
  ctx.strokeStyle = OVERLAY_COLOUR[level];
  ctx.lineWidth = HATCH_LINE * scale;
  ctx.lineCap = 'square';
  ctx.beginPath();
  // The stripe and its two neighbours' ends, so the corners are covered too.
  for (const offset of [-size, 0, size]) {
    ctx.moveTo(offset, size);
    ctx.lineTo(offset + size, 0);
  }
  ctx.stroke();
  return tile;
}

const tiles = new Map<string, HTMLCanvasElement>();
function hatch(ctx: CanvasRenderingContext2D, level: OverlayLevel, scale: number): CanvasPattern | null {
  const key = `${level}@${scale}`;
  let tile = tiles.get(key);
  if (!tile) {
    tile = hatchTile(level, scale);
    tiles.set(key, tile);
  }
  return ctx.createPattern(tile, 'repeat');
}

/**
 * Draws all 16384 slots: one pixel each into an ImageData, scaled up; then the health overlay (the slots of failed,
 * suspected, unreachable or replica-less masters dimmed and hatched in the status colour, as a few rectangles per
 * row), then uncovered slots, the slots a running move has moved (dashed outline), the selected range (tint and
 * outline), open slots, the slots being moved now (white) and the selected slot on top. `scale` is device pixels per
 * CSS pixel.
 */
function draw(
  canvas: HTMLCanvasElement,
  model: SlotMapModel,
  selected: number | undefined,
  scale: number,
  selection: SlotRange | undefined,
  marks: SlotMarks | undefined,
  heat: Uint8ClampedArray | undefined,
) {
  const started = performance.now();
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const base = document.createElement('canvas');
  base.width = MAP_COLUMNS;
  base.height = MAP_ROWS;
  const baseCtx = base.getContext('2d');
  if (!baseCtx) return;
  const image = baseCtx.createImageData(MAP_COLUMNS, MAP_ROWS);
  const rgb = model.colours.map(hexToRgb);
  for (let slot = 0; slot < model.owner.length; slot++) {
    const o = model.owner[slot] ?? -1;
    const [r, g, b] = heat
      ? [heat[slot * 3] ?? 0, heat[slot * 3 + 1] ?? 0, heat[slot * 3 + 2] ?? 0]
      : o >= 0
        ? (rgb[o] ?? UNCOVERED_RGB)
        : UNCOVERED_RGB;
    const p = slot * 4;
    image.data[p] = r;
    image.data[p + 1] = g;
    image.data[p + 2] = b;
    image.data[p + 3] = 255;
  }
  baseCtx.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(base, 0, 0, canvas.width, canvas.height);
  const cellW = canvas.width / MAP_COLUMNS;
  const cellH = canvas.height / MAP_ROWS;
  const cell = (slot: number) => [(slot % MAP_COLUMNS) * cellW, Math.floor(slot / MAP_COLUMNS) * cellH] as const;
  if (model.overlayRuns.length > 0) {
    const rect = (run: { row: number; col: number; length: number }) =>
      [run.col * cellW, run.row * cellH, run.length * cellW, cellH] as const;
    ctx.fillStyle = OVERLAY_DIM;
    for (const run of model.overlayRuns) ctx.fillRect(...rect(run));
    for (const level of ['warning', 'critical'] as const) {
      const pattern = hatch(ctx, level, scale);
      if (!pattern) continue;
      ctx.fillStyle = pattern;
      for (const run of model.overlayRuns) if (run.level === level) ctx.fillRect(...rect(run));
    }
  }
  if (model.uncovered > 0) {
    // Uncovered: red cross-hatching, never mistaken for a shard colour.
    ctx.strokeStyle = '#ff4d4f';
    ctx.lineWidth = scale;
    ctx.beginPath();
    for (let slot = 0; slot <= MAX_SLOT; slot++) {
      if ((model.owner[slot] ?? -1) >= 0) continue;
      const [x, y] = cell(slot);
      ctx.moveTo(x, y);
      ctx.lineTo(x + cellW, y + cellH);
      ctx.moveTo(x + cellW, y);
      ctx.lineTo(x, y + cellH);
    }
    ctx.stroke();
  }
  if (marks && marks.moved.length > 0) {
    // Moved: a dark line under white dashes, readable on every shard colour, light or dark.
    ctx.lineWidth = 2.5 * scale;
    ctx.strokeStyle = '#0b0f14';
    for (const range of marks.moved) outline(ctx, range, cellW, cellH);
    ctx.setLineDash([3 * scale, 2 * scale]);
    ctx.lineWidth = 1.5 * scale;
    ctx.strokeStyle = '#ffffff';
    for (const range of marks.moved) outline(ctx, range, cellW, cellH);
    ctx.setLineDash([]);
  }
  if (selection) {
    const [start, end] = selection;
    ctx.fillStyle = SELECTION_TINT;
    for (let row = Math.floor(start / MAP_COLUMNS); row <= Math.floor(end / MAP_COLUMNS); row++) {
      const from = Math.max(start, row * MAP_COLUMNS) % MAP_COLUMNS;
      const to = (Math.min(end, row * MAP_COLUMNS + MAP_COLUMNS - 1) % MAP_COLUMNS) + 1;
      ctx.fillRect(from * cellW, row * cellH, (to - from) * cellW, cellH);
    }
    ctx.strokeStyle = SELECTION_LINE;
    ctx.lineWidth = 2 * scale;
    outline(ctx, selection, cellW, cellH);
  }
  // Open slots: a white outline and a black centre dot, visible on any shard colour.
  for (const slot of model.open.keys()) {
    const [x, y] = cell(slot);
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 2 * scale;
    ctx.strokeRect(x - scale, y - scale, cellW + 2 * scale, cellH + 2 * scale);
    ctx.fillStyle = '#000000';
    ctx.fillRect(x + cellW / 2 - scale, y + cellH / 2 - scale, 2 * scale, 2 * scale);
  }
  // Being moved now: the whole cell white with a dark edge.
  for (const slot of marks?.inFlight ?? []) {
    const [x, y] = cell(slot);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(x, y, cellW, cellH);
    ctx.strokeStyle = '#0b0f14';
    ctx.lineWidth = scale;
    ctx.strokeRect(x, y, cellW, cellH);
  }
  if (selected !== undefined) {
    const [x, y] = cell(selected);
    ctx.strokeStyle = '#e6edf3';
    ctx.lineWidth = 2 * scale;
    ctx.strokeRect(x - 2 * scale, y - 2 * scale, cellW + 4 * scale, cellH + 4 * scale);
  }
  performance.measure('slotmap-draw', { start: started, end: performance.now() });
}

export function SlotMap({
  model,
  selected,
  onSelect,
  onHover,
  selection,
  focus,
  onExtend,
  onClear,
  marks,
  heat,
}: {
  model: SlotMapModel;
  selected: number | undefined;
  onSelect: (slot: number) => void;
  onHover: (slot: number | undefined) => void;
  /** The selected range, drawn tinted and outlined. */
  selection?: SlotRange;
  /** The end of the selection that moves (the other stays at `selected`): where shift+arrow keys go on from. */
  focus?: number;
  /** Drag, shift-click and shift+arrow keys: extend the selection to this slot. */
  onExtend?: (slot: number) => void;
  /** Escape. */
  onClear?: () => void;
  marks?: SlotMarks;
  /** Heat mode: an RGB triple per slot (see lib/cluster/heatScale.ts) instead of the shard colours. */
  heat?: { metric: string; rgb: Uint8ClampedArray };
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const dragging = useRef<number | undefined>(undefined);
  // Focused by a click (to take shift+arrow keys next): no keyboard focus ring around the whole map until a key is used.
  const [pointerFocus, setPointerFocus] = useState(false);
  // CSS width of the map and device pixels per CSS pixel: the canvas is drawn at the screen's resolution.
  const [size, setSize] = useState({ width: 1024, scale: 1 });

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas?.parentElement) return;
    const observer = new ResizeObserver(([entry]) => {
      const width = Math.max(MAP_COLUMNS, Math.floor(entry?.contentRect.width ?? 1024));
      const scale = window.devicePixelRatio || 1;
      setSize((old) => (old.width === width && old.scale === scale ? old : { width, scale }));
    });
    observer.observe(canvas.parentElement);
    return () => observer.disconnect();
  }, []);

  const height = mapHeight(size.width);
  // A new canvas size clears the canvas, so `size` (not only its scale) triggers a redraw.
  useEffect(() => {
    if (canvasRef.current) draw(canvasRef.current, model, selected, size.scale, selection, marks, heat?.rgb);
  }, [model, selected, size, selection, marks, heat]);

  const slotAt = useMemo(
    () => (event: MouseEvent<HTMLCanvasElement>) => {
      const rect = event.currentTarget.getBoundingClientRect();
      const col = Math.floor(((event.clientX - rect.left) / rect.width) * MAP_COLUMNS);
      const row = Math.floor(((event.clientY - rect.top) / rect.height) * MAP_ROWS);
      const slot = row * MAP_COLUMNS + col;
      return slot >= 0 && slot <= MAX_SLOT ? slot : undefined;
    },
    [],
  );

  function onKeyDown(event: KeyboardEvent<HTMLCanvasElement>) {
    setPointerFocus(false);
    const step: Record<string, number> = {
      ArrowLeft: -1,
      ArrowRight: 1,
      ArrowUp: -MAP_COLUMNS,
      ArrowDown: MAP_COLUMNS,
      PageUp: -1024,
      PageDown: 1024,
    };
    if (event.key === 'Escape' && onClear) {
      event.preventDefault();
      onClear();
      return;
    }
    const delta = step[event.key];
    if (delta === undefined) return;
    event.preventDefault();
    const extend = event.shiftKey && onExtend;
    const slot = Math.min(MAX_SLOT, Math.max(0, ((extend ? focus : undefined) ?? selected ?? 0) + delta));
    if (extend) onExtend(slot);
    else onSelect(slot);
  }

  function onMouseDown(event: MouseEvent<HTMLCanvasElement>) {
    if (event.button !== 0) return;
    const slot = slotAt(event);
    if (slot === undefined) return;
    // No text selection while dragging across the page.
    event.preventDefault();
    setPointerFocus(true);
    event.currentTarget.focus();
    if (event.shiftKey && onExtend) onExtend(slot);
    else onSelect(slot);
    dragging.current = onExtend ? slot : undefined;
  }

  function onMouseMove(event: MouseEvent<HTMLCanvasElement>) {
    const slot = slotAt(event);
    onHover(slot);
    if (dragging.current === undefined || slot === undefined || !(event.buttons & 1)) return;
    if (slot !== dragging.current) {
      dragging.current = slot;
      onExtend?.(slot);
    }
  }

  const overlaid = model.overlay.warning + model.overlay.critical;
  return (
    <canvas
      ref={canvasRef}
      width={Math.round(size.width * size.scale)}
      height={Math.round(height * size.scale)}
      tabIndex={0}
      role="img"
      aria-label={`${heat ? `Slot heat map (${heat.metric}, brighter is hotter)` : 'Slot ownership map'}: 16384 slots, ${MAP_COLUMNS} per row.${overlaid ? ` ${overlaid} slots hatched: their master is down, suspected down, unreachable or has no replica able to take over (see the legend).` : ''} Arrow keys move the selected slot${onExtend ? '; drag, shift-click or shift+arrow keys select a range; Escape clears it' : ''}; the ranges list below is the text equivalent.`}
      data-testid="slot-map"
      data-mode={heat ? heat.metric : 'ownership'}
      data-slots={model.owner.length}
      data-shards={model.owners.length}
      data-columns={MAP_COLUMNS}
      data-rows={MAP_ROWS}
      data-uncovered={model.uncovered}
      data-open={[...model.open.keys()].join(',')}
      data-overlay-warning={model.overlay.warning}
      data-overlay-critical={model.overlay.critical}
      data-selection={selection ? `${selection[0]}-${selection[1]}` : undefined}
      data-in-flight={marks ? marks.inFlight.length : undefined}
      data-moved={marks ? slotCount(marks.moved) : undefined}
      className={`block w-full cursor-crosshair rounded outline-none ${pointerFocus ? '' : 'focus-visible:ring-2 focus-visible:ring-text'}`}
      style={{ height, imageRendering: 'pixelated' }}
      onMouseMove={onMouseMove}
      onMouseDown={onMouseDown}
      onMouseUp={() => {
        dragging.current = undefined;
      }}
      onMouseLeave={() => {
        dragging.current = undefined;
        onHover(undefined);
      }}
      onKeyDown={onKeyDown}
    />
  );
}
