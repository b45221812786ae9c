import fs from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, PHONE } from './browser';
import { startServerProcess, type ServerProcess } from './server-process';

export interface E2eEnvironment {
  readonly server: ServerProcess;
  readonly browser: Browser;
  /** A phone-sized browser context shared by the tests of one file (one profile). */
  readonly context: BrowserContext;
}

/**
 * Starts the real server (fresh PGlite data dir, built PWA) and Chromium for one test file,
 * and tears both down after it. Read the fields inside tests, not at module level.
 */
export function useE2eEnvironment(): E2eEnvironment {
  const env = {} as { server: ServerProcess; browser: Browser; context: BrowserContext };
  beforeAll(async () => {
    env.server = await startServerProcess();
    env.browser = await launchBrowser();
    env.context = await env.browser.newContext(PHONE);
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.kill();
    if (env.server) fs.rmSync(env.server.dataDir, { recursive: true, force: true });
  });
  return env;
}
