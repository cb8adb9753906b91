import type { Locator, Page } from '@playwright/test';

/** The deployment page of a Sentinel deployment (/clusters/{id} for an entry of kind "sentinel"). */
export class SentinelPage {
  /** The banner: data-health ok|degraded|down|unknown. */
  readonly health: Locator;
  /** data-count: critical findings. */
  readonly criticalCount: Locator;
  /** data-master: the master the sentinels name. */
  readonly deployment: Locator;
  /** data-addr, data-role (what it says of itself). */
  readonly master: Locator;
  /** data-addr. */
  readonly replicas: Locator;
  /** data-addr, data-reachable, data-master (the master it believes), data-disagrees. */
  readonly sentinels: Locator;
  readonly agreement: Locator;
  /** data-name, data-addr, data-status, data-routed. */
  readonly haproxyServers: Locator;
  /** data-code, data-severity. */
  readonly findings: Locator;
  readonly freshness: Locator;

  constructor(readonly page: Page) {
    this.health = page.getByTestId('cluster-health');
    this.criticalCount = page.getByTestId('critical-count');
    this.deployment = page.getByTestId('sentinel-deployment');
    this.master = page.getByTestId('sentinel-master');
    this.replicas = page.getByTestId('sentinel-replica');
    this.sentinels = page.getByTestId('sentinel-row');
    this.agreement = page.getByTestId('sentinel-agreement');
    this.haproxyServers = page.getByTestId('haproxy-server');
    this.findings = page.getByTestId('finding');
    this.freshness = page.getByTestId('freshness');
  }

  goto(baseURL: string, deploymentId: string) {
    return this.page.goto(`${baseURL}/clusters/${encodeURIComponent(deploymentId)}`);
  }

  sentinelAt(addr: string): Locator {
    return this.page.locator(`[data-testid="sentinel-row"][data-addr="${addr}"]`);
  }
}
