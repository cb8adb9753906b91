import type { Locator, Page } from '@playwright/test';

export class ClusterPage {
  readonly state: Locator;
  readonly slotsAssigned: Locator;
  readonly nodesReachable: Locator;
  readonly freshness: Locator;
  readonly live: Locator;
  readonly nodeRows: Locator;
  readonly masterRows: Locator;
  readonly unidentified: Locator;
  readonly slotMap: Locator;
  readonly legendShards: Locator;
  /** One per overlay reason shown (data-reason fail|pfail|unreachable|noReplica, data-level, data-slots). */
  readonly overlayLegend: Locator;
  readonly findings: Locator;
  readonly timelineEvents: Locator;
  readonly keyInput: Locator;
  readonly keyResult: Locator;
  /** The selected range in words (data-start, data-end). */
  readonly slotSelection: Locator;
  readonly reshardDialog: Locator;
  /** The live reshard panel (data-state, data-slots-done, data-slots-total). */
  readonly reshardProgress: Locator;

  constructor(readonly page: Page) {
    this.state = page.getByTestId('cluster-state');
    this.slotsAssigned = page.getByTestId('slots-assigned');
    this.nodesReachable = page.getByTestId('nodes-reachable');
    this.freshness = page.getByTestId('freshness');
    this.live = page.getByTestId('live');
    this.nodeRows = page.getByTestId('node-row');
    this.masterRows = page.locator('[data-testid="node-row"][data-role="master"]');
    this.unidentified = page.getByTestId('unidentified');
    this.slotMap = page.getByTestId('slot-map');
    this.legendShards = page.getByTestId('slot-legend-shard');
    this.overlayLegend = page.getByTestId('slot-overlay-legend');
    this.findings = page.getByTestId('finding');
    this.timelineEvents = page.getByTestId('timeline-event');
    this.keyInput = page.locator('#key-lookup');
    this.keyResult = page.getByTestId('key-lookup-result');
    this.slotSelection = page.getByTestId('slot-selection');
    this.reshardDialog = page.getByTestId('reshard-dialog');
    this.reshardProgress = page.getByTestId('reshard-progress');
  }

  /** The page coordinates of a slot's cell centre on the map. */
  async slotPoint(slot: number): Promise<{ x: number; y: number }> {
    const box = await this.slotMap.boundingBox();
    if (!box) throw new Error('the slot map is not on screen');
    const columns = Number(await this.slotMap.getAttribute('data-columns'));
    const rows = Number(await this.slotMap.getAttribute('data-rows'));
    return {
      x: box.x + ((slot % columns) + 0.5) * (box.width / columns),
      y: box.y + (Math.floor(slot / columns) + 0.5) * (box.height / rows),
    };
  }

  /** Drags across the map from one slot to another, as an operator selects a range with the mouse. */
  async dragSlots(from: number, to: number): Promise<void> {
    await this.slotMap.scrollIntoViewIfNeeded();
    const a = await this.slotPoint(from);
    const b = await this.slotPoint(to);
    await this.page.mouse.move(a.x, a.y);
    await this.page.mouse.down();
    await this.page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 4 });
    await this.page.mouse.move(b.x, b.y, { steps: 4 });
    await this.page.mouse.up();
  }

  async goto(clusterId: string) {
    await this.page.goto(`/clusters/${clusterId}`);
  }

  node(id: string): Locator {
    return this.page.locator(`[data-testid="node-row"][data-node-id="${id}"]`);
  }

  finding(code: string): Locator {
    return this.page.locator(`[data-testid="finding"][data-code="${code}"]`);
  }

  timeline(kind: string): Locator {
    return this.page.locator(`[data-testid="timeline-event"][data-kind="${kind}"]`);
  }

  /** The colour drawn at the centre of each slot's cell, read back from the canvas (its grid from data-columns/rows). */
  async slotColours(): Promise<string[]> {
    return this.slotMap.evaluate((canvas: HTMLCanvasElement) => {
      const ctx = canvas.getContext('2d');
      if (!ctx) return [];
      const columns = Number(canvas.dataset.columns);
      const rows = Number(canvas.dataset.rows);
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const cellW = canvas.width / columns;
      const cellH = canvas.height / rows;
      const out: string[] = [];
      for (let slot = 0; slot < columns * rows; slot++) {
        const x = Math.floor((slot % columns) * cellW + cellW / 2);
        const y = Math.floor(Math.floor(slot / columns) * cellH + cellH / 2);
        const p = (y * canvas.width + x) * 4;
        out.push(`${data[p]},${data[p + 1]},${data[p + 2]}`);
      }
      return out;
    });
  }
}
