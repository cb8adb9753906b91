import type { Locator, Page } from '@playwright/test';

export class ClusterPage {
  readonly state: Locator;
  readonly slotsAssigned: Locator;
  readonly nodesReachable: Locator;
  readonly freshness: Locator;
  readonly nodeRows: Locator;
  readonly masterRows: Locator;
  readonly unidentified: Locator;

  constructor(readonly page: Page) {
    this.state = page.getByTestId('cluster-state');
    this.slotsAssigned = page.getByTestId('slots-assigned');
    this.nodesReachable = page.getByTestId('nodes-reachable');
    this.freshness = page.getByTestId('freshness');
    this.nodeRows = page.getByTestId('node-row');
    this.masterRows = page.locator('[data-testid="node-row"][data-role="master"]');
    this.unidentified = page.getByTestId('unidentified');
  }

  async goto(clusterId: string) {
    await this.page.goto(`/clusters/${clusterId}`);
  }

  node(id: string): Locator {
    return this.page.locator(`[data-testid="node-row"][data-node-id="${id}"]`);
  }
}
