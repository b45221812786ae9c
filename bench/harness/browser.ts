/**
 * Chromium for the benchmarks: Debian's build through playwright-core, a fresh on-disk profile per
 * run (Playwright's incognito contexts keep IndexedDB in memory, which would flatter every
 * number), a phone-sized screen, and the 3G profile through CDP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, PHONE } from '../../tests/support/browser';

/** The 3G profile, as Chrome DevTools takes it (bytes per second, ms). */
export const THROTTLE_3G = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };
export const NO_THROTTLE = { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };
export type Throttle = '3g' | 'none';

export interface Profile {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  /** Network.emulateNetworkConditions for the page. */
  throttle(to: Throttle): Promise<void>;
  close(): Promise<void>;
  /** Closes the browser and keeps the profile directory (returned), e.g. as a template to copy. */
  closeKeeping(): Promise<string>;
}

/**
 * A new Chromium with a new profile directory on disk; `initScripts` run before every page script.
 * `from`: start from a closed profile (its IndexedDB already filled), either a copy of it or its
 * own directory reopened in place (`close` then removes that directory).
 */
export async function openProfile(
  initScripts: readonly string[] = [],
  from?: { readonly copyOf: string } | { readonly reopen: string },
): Promise<Profile> {
  const dir = from && 'reopen' in from ? from.reopen : fs.mkdtempSync(path.join(os.tmpdir(), 'skh-bench-profile-'));
  if (from && 'copyOf' in from) fs.cpSync(from.copyOf, dir, { recursive: true });
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    ...PHONE,
  });
  const close = async () => {
    await context.close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const content of initScripts) await context.addInitScript({ content });
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const throttle = async (to: Throttle) => {
      await cdp.send('Network.emulateNetworkConditions', to === '3g' ? THROTTLE_3G : NO_THROTTLE);
    };
    const closeKeeping = async () => {
      await context.close().catch(() => undefined);
      return dir;
    };
    return { context, page, cdp, throttle, close, closeKeeping };
  } catch (error) {
    await close();
    throw error;
  }
}

export async function chromiumVersion(): Promise<string> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    return browser.version();
  } finally {
    await browser.close();
  }
}
