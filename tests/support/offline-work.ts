/**
 * Offline work in bulk, done in the app's own page through the product's repositories: the page
 * half (offline-work.page.ts) is bundled by Vite into one classic script and evaluated in the
 * page, so nothing of it ships in the app's build.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { build, type Rolldown } from 'vite';

let bundled: Promise<string> | undefined;

function bundle(): Promise<string> {
  bundled ??= build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      write: false,
      minify: false,
      sourcemap: false,
      lib: {
        entry: path.join(import.meta.dirname, 'offline-work.page.ts'),
        formats: ['iife'],
        name: 'offlineWorkBundle',
      },
    },
  }).then((result) => {
    const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
    const chunk = outputs.flatMap((o) => o.output).find((file) => file.type === 'chunk');
    if (!chunk || chunk.type !== 'chunk') throw new Error('the offline-work bundle has no script');
    return chunk.code;
  });
  return bundled;
}

/** Registers `count` households in a village, through household.repository.ts, in the page. */
export async function registerHouseholdsInPage(page: Page, villageId: string, count: number): Promise<string[]> {
  await page.evaluate(await bundle());
  return page.evaluate(
    ([villageId, count]) => {
      if (!window.offlineWork) throw new Error('the offline-work script did not load');
      return window.offlineWork.registerHouseholds(villageId, count);
    },
    [villageId, count] as const,
  );
}
