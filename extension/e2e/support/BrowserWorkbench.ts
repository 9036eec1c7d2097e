import * as path from 'node:path';
import { CodeServer } from './CodeServer';
import { E2eEnvironment } from './e2eEnvironment';
import { BrowserContext, Page, loadChromium } from './playwright';
import { WorkbenchDriver } from './WorkbenchDriver';

export interface BrowserWorkbenchOptions {
  /** The suite's own folder: code-server's state and the Chromium profile go below it. */
  readonly root: string;
  /** The folder the window opens. */
  readonly workspace: string;
  /** Where the driver keeps screenshots. */
  readonly artifacts: string;
  /** The kubeconfig the extension is set to (default: the test cluster's). */
  readonly kubeconfig?: string;
  /** Settings on top of the common ones. */
  readonly settings?: Record<string, unknown>;
  /** A fresh profile as a new user has it: no settings at all (not even the kubeconfig; the environment's is used). */
  readonly noSettings?: boolean;
  /** Environment for code-server, and so for the extension host and the daemon, on top of this process's. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * One real VS Code for a suite: code-server with the packaged extension and the real daemon, opened on a workspace
 * in headless Chromium, with a driver for its workbench. Closing it stops everything it started.
 */
export class BrowserWorkbench {
  private constructor(
    readonly server: CodeServer,
    private readonly browser: BrowserContext,
    readonly driver: WorkbenchDriver,
  ) {}

  static async open(env: E2eEnvironment, options: BrowserWorkbenchOptions): Promise<BrowserWorkbench> {
    const server = await CodeServer.start({
      tools: env.tools,
      root: path.join(options.root, 'code-server'),
      vsix: env.vsix,
      env: { ...process.env, KUBECONFIG: env.kubeconfig, ...options.env },
      // The extension finds its own daemon: no daemon path is set.
      settings: options.noSettings
        ? undefined
        : {
            'devspaces.kubeconfig': options.kubeconfig ?? env.kubeconfig,
            'workbench.startupEditor': 'none',
            'security.workspace.trust.enabled': false,
            'workbench.tips.enabled': false,
            'extensions.ignoreRecommendations': true,
            'telemetry.telemetryLevel': 'off',
            'update.mode': 'none',
            ...options.settings,
          },
    });
    let browser: BrowserContext | undefined;
    try {
      browser = await loadChromium(env.tools).launchPersistentContext(path.join(options.root, 'chromium-profile'), {
        executablePath: '/usr/bin/chromium',
        headless: true,
        viewport: { width: 1400, height: 900 },
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      const page = browser.pages()[0] ?? (await browser.newPage());
      const driver = new WorkbenchDriver(page, options.artifacts);
      await page.goto(server.url(options.workspace), { timeout: driver.uiTimeout });
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: driver.uiTimeout });
      return new BrowserWorkbench(server, browser, driver);
    } catch (error) {
      await browser?.close().catch(() => undefined);
      await server.stop();
      throw error;
    }
  }

  /** The browser's open tabs: the workbench's, and those VS Code opened (a link opened externally gets a new tab). */
  pages(): Page[] {
    return this.browser.pages();
  }

  /** Closes the browser and stops code-server with all it started (extension host, daemon). */
  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
  }
}
