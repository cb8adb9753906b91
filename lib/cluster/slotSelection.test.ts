import { describe, expect, it } from 'vitest';
import { describeSelection, rangeOutline, rangeOwners, type Segment, selectionRange } from './slotSelection';

/** Every unit edge of the range's boundary, computed cell by cell: what rangeOutline must cover exactly. */
function boundaryEdges(start: number, end: number, columns: number, rows: number): Set<string> {
  const inRange = (col: number, row: number) =>
    col >= 0 && col < columns && row >= 0 && row < rows && row * columns + col >= start && row * columns + col <= end;
  const edges = new Set<string>();
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < columns; col++) {
      if (!inRange(col, row)) continue;
      if (!inRange(col, row - 1)) edges.add(`h${col},${row}`);
      if (!inRange(col, row + 1)) edges.add(`h${col},${row + 1}`);
      if (!inRange(col - 1, row)) edges.add(`v${col},${row}`);
      if (!inRange(col + 1, row)) edges.add(`v${col + 1},${row}`);
    }
  }
  return edges;
}

function unitEdges(segments: Segment[]): string[] {
  const out: string[] = [];
  for (const [x1, y1, x2, y2] of segments) {
    if (y1 === y2) for (let x = Math.min(x1, x2); x < Math.max(x1, x2); x++) out.push(`h${x},${y1}`);
    else for (let y = Math.min(y1, y2); y < Math.max(y1, y2); y++) out.push(`v${x1},${y}`);
  }
  return out;
}

describe('slot selection', () => {
  it('orders anchor and focus and clamps to the slot space', () => {
    expect(selectionRange({ anchor: 1819, focus: 0 })).toEqual([0, 1819]);
    expect(selectionRange({ anchor: 16000, focus: 99999 })).toEqual([16000, 16383]);
    expect(selectionRange({ anchor: -5, focus: 3 })).toEqual([0, 3]);
  });

  it('names the owners of a range, most slots first, uncovered slots as nobody', () => {
    const owner = new Int16Array(20).fill(-1);
    owner.fill(0, 0, 5);
    owner.fill(1, 5, 15);
    const owners = [
      { id: 'a'.repeat(40), addr: '127.0.0.1:7000' },
      { id: 'b'.repeat(40), addr: '127.0.0.1:7001' },
    ];
    const found = rangeOwners([2, 16], owner, owners);
    expect(found).toEqual([
      { nodeId: 'b'.repeat(40), addr: '127.0.0.1:7001', slots: 10 },
      { nodeId: 'a'.repeat(40), addr: '127.0.0.1:7000', slots: 3 },
      { slots: 2 },
    ]);
    expect(describeSelection([2, 16], found)).toBe(
      'slots 2–16, 15 slots, owned by 127.0.0.1:7001 (10), 127.0.0.1:7000 (3), nobody: uncovered (2)',
    );
    expect(describeSelection([0, 1819], [{ nodeId: 'a', addr: '127.0.0.1:7000', slots: 1820 }])).toBe(
      'slots 0–1819, 1,820 slots, owned by 127.0.0.1:7000 (1,820)',
    );
    expect(describeSelection([42, 42], [{ nodeId: 'a', addr: 'h:1', slots: 1 }])).toBe('slot 42, owned by h:1 (1)');
  });

  it('outlines a range as the exact boundary of its cells, whatever rows it spans', () => {
    const columns = 8;
    const rows = 6;
    for (let start = 0; start < columns * rows; start++) {
      for (let end = start; end < columns * rows; end++) {
        const expected = boundaryEdges(start, end, columns, rows);
        const drawn = unitEdges(rangeOutline([start, end], columns));
        expect(new Set(drawn), `range ${start}-${end}`).toEqual(expected);
        // No edge drawn twice: the stroke has the same weight everywhere.
        expect(drawn.length, `range ${start}-${end}`).toBe(expected.size);
      }
    }
  });
});
