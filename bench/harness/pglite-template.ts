/**
 * A migrated, empty PGlite data directory, made once per process and copied for every server the
 * benchmarks start on PGlite: PGlite's initdb costs ~2 s of CPU, a copy ~0.2 s. Neither is timed;
 * the copy only shortens the untimed setup of each repetition. The template is removed on exit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMigrations } from '../../src/server/store/migrations';
import { openPgliteStore } from '../../src/server/store/pglite-store';

let template: Promise<string> | undefined;

function emptyPgliteTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-bench-pglite-template-'));
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    const store = await openPgliteStore(dir);
    try {
      await runMigrations(store);
    } finally {
      await store.close();
    }
    return dir;
  })();
  return template;
}

/** Fills `dir` (new or empty) with a migrated, empty PGlite database. */
export async function copyEmptyPglite(dir: string): Promise<void> {
  fs.cpSync(await emptyPgliteTemplate(), dir, { recursive: true });
}
