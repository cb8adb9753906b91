import type { Locator, Page } from '@playwright/test';

export class AuditPage {
  readonly table: Locator;
  readonly rows: Locator;
  /** What the table leaves out: older entries, rotated files, unreadable lines. */
  readonly coverage: Locator;
  /** "The audit log cannot be read: <code>" instead of the table. */
  readonly error: Locator;
  readonly exportLink: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId('audit-table');
    this.rows = page.getByTestId('audit-row');
    this.coverage = page.getByTestId('audit-coverage');
    this.error = page.getByTestId('audit-error');
    this.exportLink = page.getByRole('link', { name: 'Export (JSON lines)' });
  }

  goto(baseURL: string) {
    return this.page.goto(`${baseURL}/audit`);
  }
}
