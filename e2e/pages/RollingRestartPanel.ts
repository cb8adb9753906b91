import type { Locator, Page } from '@playwright/test';

/** The rolling restart's dialog (start) and live checklist on the cluster page. */
export class RollingRestartPanel {
  readonly open: Locator;
  readonly dialog: Locator;
  readonly plan: Locator;
  readonly failBack: Locator;
  readonly confirm: Locator;
  readonly start: Locator;
  /** The job's panel (data-state). */
  readonly job: Locator;
  /** "Restart <addr> now", while the job waits for the operator. */
  readonly now: Locator;
  readonly health: Locator;
  readonly steps: Locator;
  readonly skip: Locator;

  constructor(readonly page: Page) {
    this.open = page.getByTestId('rolling-restart-open');
    this.dialog = page.getByTestId('rolling-restart-dialog');
    this.plan = page.getByTestId('rolling-restart-plan');
    this.failBack = page.getByTestId('rolling-restart-failback');
    this.confirm = page.getByTestId('rolling-restart-confirm');
    this.start = page.getByTestId('rolling-restart-start');
    this.job = page.getByTestId('rolling-restart-job');
    this.now = page.getByTestId('rolling-restart-now');
    this.health = page.getByTestId('rolling-restart-health');
    this.steps = page.getByTestId('rolling-restart-step');
    this.skip = page.getByTestId('rolling-restart-skip');
  }
}
