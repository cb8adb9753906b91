'use client';

import { type KeyboardEvent, type MouseEvent, useEffect, useMemo, useRef, useState } from 'react';
import { hexToRgb, MAP_COLUMNS, MAP_ROWS, type SlotMapModel } from '@/lib/cluster/slotMap';
import { MAX_SLOT } from '@/lib/redis/slots';

const UNCOVERED_RGB: [number, number, number] = [20, 0, 0];
const CELL_HEIGHT = 6;

/** Draws all 16384 slots: one pixel each into an ImageData, scaled up; uncovered and open slots drawn on top. */
function draw(canvas: HTMLCanvasElement, model: SlotMapModel, selected: number | undefined) {
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
    const [r, g, b] = o >= 0 ? (rgb[o] ?? UNCOVERED_RGB) : UNCOVERED_RGB;
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
  if (model.uncovered > 0) {
    // Uncovered: red cross-hatching, never mistaken for a shard colour.
    ctx.strokeStyle = '#ff4d4f';
    ctx.lineWidth = 1;
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
  // Open slots: a white outline and a black centre dot, visible on any shard colour.
  for (const slot of model.open.keys()) {
    const [x, y] = cell(slot);
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 2;
    ctx.strokeRect(x - 1, y - 1, cellW + 2, cellH + 2);
    ctx.fillStyle = '#000000';
    ctx.fillRect(x + cellW / 2 - 1, y + cellH / 2 - 1, 2, 2);
  }
  if (selected !== undefined) {
    const [x, y] = cell(selected);
    ctx.strokeStyle = '#e6edf3';
    ctx.lineWidth = 2;
    ctx.strokeRect(x - 2, y - 2, cellW + 4, cellH + 4);
  }
  performance.measure('slotmap-draw', { start: started, end: performance.now() });
}

export function SlotMap({
  model,
  selected,
  onSelect,
  onHover,
}: {
  model: SlotMapModel;
  selected: number | undefined;
  onSelect: (slot: number) => void;
  onHover: (slot: number | undefined) => void;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(1024);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas?.parentElement) return;
    const observer = new ResizeObserver(([entry]) => {
      const w = Math.floor((entry?.contentRect.width ?? 1024) / MAP_COLUMNS) * MAP_COLUMNS;
      setWidth(Math.max(MAP_COLUMNS * 2, w));
    });
    observer.observe(canvas.parentElement);
    return () => observer.disconnect();
  }, []);

  const height = MAP_ROWS * CELL_HEIGHT;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new canvas width clears the canvas, so it must redraw
  useEffect(() => {
    if (canvasRef.current) draw(canvasRef.current, model, selected);
  }, [model, selected, width]);

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
    const step: Record<string, number> = {
      ArrowLeft: -1,
      ArrowRight: 1,
      ArrowUp: -MAP_COLUMNS,
      ArrowDown: MAP_COLUMNS,
      PageUp: -1024,
      PageDown: 1024,
    };
    const delta = step[event.key];
    if (delta === undefined) return;
    event.preventDefault();
    onSelect(Math.min(MAX_SLOT, Math.max(0, (selected ?? 0) + delta)));
  }

  return (
    <canvas
      ref={canvasRef}
      width={width}
      height={height}
      tabIndex={0}
      role="img"
      aria-label="Slot ownership map: 16384 slots, 256 per row. Arrow keys move the selected slot; the ranges list below is the text equivalent."
      data-testid="slot-map"
      data-slots={model.owner.length}
      data-shards={model.owners.length}
      data-uncovered={model.uncovered}
      data-open={[...model.open.keys()].join(',')}
      className="w-full cursor-crosshair rounded outline-none focus-visible:ring-2 focus-visible:ring-text"
      style={{ height, imageRendering: 'pixelated' }}
      onMouseMove={(e) => onHover(slotAt(e))}
      onMouseLeave={() => onHover(undefined)}
      onClick={(e) => {
        const slot = slotAt(e);
        if (slot !== undefined) onSelect(slot);
      }}
      onKeyDown={onKeyDown}
    />
  );
}
