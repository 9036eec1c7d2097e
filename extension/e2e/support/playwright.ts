// The part of playwright-core the end-to-end tests use. playwright-core is installed with
// code-server in the e2e tools folder (extension/e2e/setup), not in the repository.
import * as path from 'node:path';

export interface Locator {
  first(): Locator;
  filter(options: { hasText?: string | RegExp }): Locator;
  locator(selector: string, options?: { hasText?: string | RegExp; has?: Locator }): Locator;
  click(options?: { timeout?: number }): Promise<void>;
  hover(options?: { timeout?: number }): Promise<void>;
  isVisible(): Promise<boolean>;
  waitFor(options?: { state?: 'attached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  textContent(options?: { timeout?: number }): Promise<string | null>;
  getAttribute(name: string, options?: { timeout?: number }): Promise<string | null>;
  inputValue(options?: { timeout?: number }): Promise<string>;
  count(): Promise<number>;
  allTextContents(): Promise<string[]>;
}

export interface Page {
  goto(url: string, options?: { timeout?: number; waitUntil?: 'load' | 'domcontentloaded' }): Promise<unknown>;
  locator(selector: string, options?: { hasText?: string | RegExp; has?: Locator }): Locator;
  keyboard: { press(key: string): Promise<void>; type(text: string, options?: { delay?: number }): Promise<void> };
  mouse: { wheel(deltaX: number, deltaY: number): Promise<void> };
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  on(event: 'console', listener: (message: { type(): string; text(): string }) => void): void;
  url(): string;
  reload(options?: { timeout?: number }): Promise<unknown>;
  waitForLoadState(state: 'load' | 'domcontentloaded', options?: { timeout?: number }): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserContext {
  newPage(): Promise<Page>;
  pages(): Page[];
  close(): Promise<void>;
}

export interface Chromium {
  launchPersistentContext(
    userDataDir: string,
    options: { executablePath: string; headless: boolean; args: string[]; viewport?: { width: number; height: number } },
  ): Promise<BrowserContext>;
}

export function loadChromium(toolsFolder: string): Chromium {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const playwright = require(path.join(toolsFolder, 'tools', 'node_modules', 'playwright-core')) as { chromium: Chromium };
  return playwright.chromium;
}
