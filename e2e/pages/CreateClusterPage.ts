import type { Locator, Page } from '@playwright/test';

export class CreateClusterPage {
  readonly nodes: Locator;
  readonly replicas: Locator;
  readonly login: Locator;
  readonly previewButton: Locator;
  readonly preview: Locator;
  readonly hosts: Locator;
  readonly warnings: Locator;
  readonly confirm: Locator;
  readonly start: Locator;
  readonly job: Locator;
  readonly steps: Locator;
  readonly configId: Locator;
  readonly configName: Locator;
  readonly passwordEnv: Locator;
  readonly configError: Locator;
  readonly addToConfig: Locator;
  readonly added: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.nodes = page.getByTestId('create-nodes');
    this.replicas = page.getByTestId('create-replicas');
    this.login = page.getByLabel('Login on the new nodes');
    this.previewButton = page.getByTestId('create-preview-button');
    this.preview = page.getByTestId('create-preview');
    this.hosts = page.getByTestId('create-host');
    this.warnings = page.getByTestId('create-warnings');
    this.confirm = page.getByTestId('create-confirm');
    this.start = page.getByTestId('create-start');
    this.job = page.getByTestId('create-job');
    this.steps = page.getByTestId('create-step');
    this.configId = page.getByTestId('create-config-id');
    this.configName = page.getByTestId('create-config-name');
    this.passwordEnv = page.getByTestId('create-config-password-env');
    this.configError = page.getByTestId('create-config-error');
    this.addToConfig = page.getByTestId('create-add-to-config');
    this.added = page.getByTestId('create-added');
    this.error = page.getByTestId('create-error');
  }

  goto(baseURL: string) {
    return this.page.goto(`${baseURL}/clusters/create`);
  }
}
