import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AREAS as APP_AREAS, PRECACHED_AREAS } from '../../src/client/app/areas';
import { AREAS, MUST_PRECACHE, NEVER_PRECACHE } from './bundle-budget.mjs';

const SCRIPT = path.resolve(import.meta.dirname, 'bundle-budget.mjs');
const KB = 1024;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

interface FixtureChunk {
  readonly file: string;
  /** Random bytes: gzip cannot shrink them, so the size is the gzip size near enough. */
  readonly kb: number;
  readonly isEntry?: boolean;
  readonly imports?: string[];
  readonly dynamicImports?: string[];
}

/** A dist/ as vite build writes it: chunks, .vite/manifest.json and sw.js with its precache list. */
function fixtureBuild(chunks: FixtureChunk[], precached: string[]): string {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'budget-'));
  dirs.push(dist);
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.mkdirSync(path.join(dist, '.vite'));
  const manifest: Record<string, object> = {};
  for (const chunk of chunks) {
    fs.writeFileSync(path.join(dist, chunk.file), randomBytes(chunk.kb * KB));
    manifest[chunk.isEntry ? 'index.html' : `_${path.basename(chunk.file)}`] = {
      file: chunk.file,
      isEntry: chunk.isEntry,
      imports: chunk.imports?.map((file) => `_${path.basename(file)}`),
      dynamicImports: chunk.dynamicImports?.map((file) => `_${path.basename(file)}`),
    };
  }
  fs.writeFileSync(path.join(dist, '.vite/manifest.json'), JSON.stringify(manifest));
  const entries = precached.map((url) => `{url:"${url}",revision:null}`).join(',');
  fs.writeFileSync(
    path.join(dist, 'sw.js'),
    `define(["./workbox-1"],function(e){e.precacheAndRoute([${entries}],{})});`,
  );
  return dist;
}

function runBudget(dist: string) {
  const run = spawnSync(process.execPath, [SCRIPT, dist], { encoding: 'utf8' });
  return { ok: run.status === 0, output: run.stdout + run.stderr };
}

const ENTRY = 'assets/field-index-aaa.js';
const SHARED = 'assets/field-react-bbb.js';
const SCREEN = 'assets/field-home-screen-ccc.js';
const SETUP = 'assets/setup-commune-setup-screen-ddd.js';
const OFFICE = 'assets/office-review-screen-eee.js';

function phoneBuild(
  sizes: { entry: number; shared: number; screen: number },
  precached = [ENTRY, SHARED, SCREEN, SETUP],
) {
  return fixtureBuild(
    [
      { file: ENTRY, kb: sizes.entry, isEntry: true, imports: [SHARED], dynamicImports: [SCREEN, SETUP, OFFICE] },
      { file: SHARED, kb: sizes.shared },
      { file: SCREEN, kb: sizes.screen, imports: [SHARED] },
      { file: SETUP, kb: 4 },
      { file: OFFICE, kb: 8 },
    ],
    precached,
  );
}

describe('the bundle budget check', () => {
  it('passes a build whose start-up JavaScript fits, with the field precached and the office not', () => {
    const { ok, output } = runBudget(phoneBuild({ entry: 60, shared: 80, screen: 200 }));
    expect(output).toContain('start-up JavaScript: 140.');
    expect(output).toMatch(/assets\/office-review-screen-eee\.js\s+office/);
    expect(ok).toBe(true);
  });

  it('fails when the entry and the chunks it imports statically pass 150 KB gzip (lazy chunks do not count)', () => {
    const { ok, output } = runBudget(phoneBuild({ entry: 60, shared: 95, screen: 10 }));
    expect(output).toContain('over the budget of 150.0 KB');
    expect(ok).toBe(false);
  });

  it('fails when an office chunk is in the precache', () => {
    const { ok, output } = runBudget(
      phoneBuild({ entry: 60, shared: 80, screen: 10 }, [ENTRY, SHARED, SCREEN, SETUP, OFFICE]),
    );
    expect(output).toContain(`${OFFICE} is in the office area but the service worker precaches it`);
    expect(ok).toBe(false);
  });

  it('fails when a field chunk is missing from the precache', () => {
    const { ok, output } = runBudget(phoneBuild({ entry: 60, shared: 80, screen: 10 }, [ENTRY, SHARED, SETUP]));
    expect(output).toContain(`${SCREEN} is in the field area but the service worker does not precache it`);
    expect(ok).toBe(false);
  });

  it('fails when a chunk names no area', () => {
    const dist = fixtureBuild(
      [
        { file: ENTRY, kb: 10, isEntry: true, dynamicImports: ['assets/index-fff.js'] },
        { file: 'assets/index-fff.js', kb: 1 },
      ],
      [ENTRY, 'assets/index-fff.js'],
    );
    const { ok, output } = runBudget(dist);
    expect(output).toContain('assets/index-fff.js names no area');
    expect(ok).toBe(false);
  });
});

describe('the budget script and the app agree on the areas', () => {
  it('checks every area the app precaches, and refuses the others in the precache', () => {
    expect(AREAS).toEqual([...APP_AREAS]);
    expect([...MUST_PRECACHE].sort()).toEqual([...PRECACHED_AREAS].sort());
    expect([...NEVER_PRECACHE].sort()).toEqual(APP_AREAS.filter((area) => !PRECACHED_AREAS.includes(area)).sort());
  });
});
