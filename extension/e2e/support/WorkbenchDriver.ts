import * as fs from 'node:fs';
import * as path from 'node:path';
import { Locator, Page } from './playwright';

/** Waits until a probe returns a value, retrying on errors; fails with the reason and the last error. */
export async function waitUntil<T>(probe: () => Promise<T | undefined>, reason: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) {
        return value;
      }
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const because = last ? ` (last error: ${last instanceof Error ? last.message : JSON.stringify(last)})` : '';
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${reason}${because}`);
}

/** Drives the workbench as a user does: palette, quick picks, views, notifications. */
export class WorkbenchDriver {
  constructor(
    readonly page: Page,
    private readonly artifacts: string,
    /** Activation and daemon round trips on a loaded 2-core machine take tens of seconds. */
    readonly uiTimeout = 60_000,
  ) {}

  /** Runs a test body; on failure keeps a screenshot of the workbench next to the logs. */
  async step(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      await this.screenshot(`${name}-failure`).catch(() => undefined);
      throw error;
    }
  }

  async screenshot(name: string): Promise<void> {
    fs.mkdirSync(this.artifacts, { recursive: true });
    await this.page.screenshot({ path: path.join(this.artifacts, `${name}.png`), fullPage: true });
  }

  /** Waits for the DevSpaces status-bar item to show a text (its accessible label is "DevSpaces: <text>"). */
  async waitForStatus(expected: string, reason: string): Promise<void> {
    const item = this.page.locator(`.part.statusbar [aria-label="DevSpaces: ${expected}"]`).first();
    try {
      await item.waitFor({ state: 'visible', timeout: this.uiTimeout });
    } catch {
      const actual = await this.page
        .locator('.part.statusbar [aria-label^="DevSpaces: "]')
        .first()
        .getAttribute('aria-label', { timeout: 1000 })
        .catch(() => 'no DevSpaces item');
      throw new Error(`Timed out after ${this.uiTimeout} ms waiting for ${reason}: the status bar shows '${actual}'`);
    }
  }

  async runFromPalette(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.input().waitFor({ state: 'visible', timeout: this.uiTimeout });
    await this.page.keyboard.type(title);
    await this.quickPickRow(title).waitFor({ state: 'visible', timeout: this.uiTimeout });
    await this.page.keyboard.press('Enter');
  }

  quickPickRow(text: string | RegExp): Locator {
    return this.page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
  }

  input(): Locator {
    return this.page.locator('.quick-input-widget input').first();
  }

  /**
   * Waits for the quick pick a command opens (by its placeholder), so that typing does not go to
   * the palette that is still closing; then narrows it by typing and clicks the row.
   */
  async pick(placeholder: RegExp, filter: string, row: string | RegExp = filter): Promise<void> {
    await waitUntil(
      async () => (placeholder.test((await this.input().getAttribute('placeholder', { timeout: 1000 })) ?? '') ? true : undefined),
      `a quick pick with the placeholder ${placeholder}`,
      this.uiTimeout,
    );
    await this.replaceInput(filter);
    await this.quickPickRow(row).click({ timeout: this.uiTimeout });
  }

  /** Replaces the text of the open quick pick or input box. */
  async replaceInput(text: string): Promise<void> {
    await this.input().waitFor({ state: 'visible', timeout: this.uiTimeout });
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.type(text);
  }

  /** Waits until the open input box holds a value (e.g. a suggested default). */
  async waitForInputValue(expected: string, reason: string): Promise<void> {
    await waitUntil(async () => ((await this.input().inputValue()) === expected ? true : undefined), reason, this.uiTimeout);
  }

  /** Closes every notification, so later assertions see only new ones. */
  async clearNotifications(): Promise<void> {
    await this.runFromPalette('Notifications: Clear All Notifications');
    await waitUntil(
      async () => ((await this.page.locator('.notification-toast').count()) === 0 ? true : undefined),
      'the notifications to close',
      this.uiTimeout,
    );
  }

  toast(text: string | RegExp): Locator {
    return this.page.locator('.notification-toast', { hasText: text }).first();
  }

  /** Scrolls a view of the side bar (by its title) until a row is rendered (long lists render only what is visible). */
  async viewRow(title: string, text: string | RegExp, reason: string): Promise<Locator> {
    const body = this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: title }) }).first().locator('.pane-body').first();
    const row = body.locator('.monaco-list-row', { hasText: text }).first();
    return waitUntil(async () => {
      if (await row.isVisible()) {
        return row;
      }
      await body.hover();
      await this.page.mouse.wheel(0, 120);
      return undefined;
    }, reason);
  }

  /** Expands a view of the side bar (by its title) if it is collapsed, and returns its body. */
  async openView(title: string): Promise<Locator> {
    const header = this.page.locator('.pane-header', { hasText: title }).first();
    await header.waitFor({ state: 'visible', timeout: this.uiTimeout });
    if ((await header.getAttribute('aria-expanded')) !== 'true') {
      await header.click();
    }
    return this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: title }) }).first().locator('.pane-body').first();
  }
}
