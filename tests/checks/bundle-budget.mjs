// The phone's bundle budget, checked on a build (`npm run budget`; `npm test` runs it after building):
// - the start-up JavaScript (the entry chunk and every chunk it imports statically, which the page
//   modulepreloads; lazily loaded chunks do not count) is at most 150 KB gzip;
// - every chunk is named after its area (vite.config.ts: assets/<area>-<name>-<hash>.js);
// - the service worker precaches every field chunk, and no office or reports chunk (those are
//   cached on first use only, never stored on volunteers' phones ahead of use).
// Prints a table of every chunk. Plain Node, no dependencies: reads dist/.vite/manifest.json and
// the precache list in dist/sw.js.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 150 * 1024;
export const AREAS = ['field', 'setup', 'office', 'reports'];
// The same lists as src/client/app/areas.ts (this script runs in plain Node; a test holds them equal).
export const MUST_PRECACHE = ['field', 'setup'];
export const NEVER_PRECACHE = ['office', 'reports'];

/** The area a built file belongs to, from its name; undefined when it names none. */
export function areaOf(file) {
  const match = /^assets\/([a-z]+)-/.exec(file);
  return match && AREAS.includes(match[1]) ? match[1] : undefined;
}

/** The URLs the generated service worker precaches (workbox's precacheAndRoute list in sw.js). */
export function precacheList(swSource) {
  const list = /precacheAndRoute\(\s*\[([\s\S]*?)\]/.exec(swSource);
  if (!list) throw new Error('sw.js has no precacheAndRoute([...]) list');
  return new Set([...list[1].matchAll(/url:\s*"([^"]+)"/g)].map((m) => m[1]));
}

/** The JS files the page loads at start: each entry and, transitively, its static imports. */
export function initialFiles(manifest) {
  const initial = new Set();
  const visit = (key) => {
    const chunk = manifest[key];
    if (!chunk || initial.has(chunk.file)) return;
    initial.add(chunk.file);
    (chunk.imports ?? []).forEach(visit);
  };
  Object.keys(manifest)
    .filter((key) => manifest[key].isEntry)
    .forEach(visit);
  return initial;
}

/** Reads a build: its manifest, precache list and the size of every JS chunk. */
export function readBuild(distDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(distDir, '.vite/manifest.json'), 'utf8'));
  const precached = precacheList(fs.readFileSync(path.join(distDir, 'sw.js'), 'utf8'));
  const files = [...new Set(Object.values(manifest).map((chunk) => chunk.file))].filter((f) => f.endsWith('.js'));
  const sizes = new Map(
    files.map((file) => {
      const bytes = fs.readFileSync(path.join(distDir, file));
      return [file, { raw: bytes.length, gzip: gzipSync(bytes).length }];
    }),
  );
  return { manifest, precached, sizes };
}

/** Every chunk with its area, sizes and whether it loads at start / is precached; and what is wrong. */
export function checkBuild({ manifest, precached, sizes }, budget = BUDGET_BYTES) {
  const initial = initialFiles(manifest);
  const rows = [...sizes]
    .map(([file, size]) => ({
      file,
      area: areaOf(file),
      ...size,
      initial: initial.has(file),
      precached: precached.has(file),
    }))
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.gzip - a.gzip);
  const initialGzip = rows.filter((row) => row.initial).reduce((sum, row) => sum + row.gzip, 0);
  const problems = [];
  if (initialGzip > budget)
    problems.push(`start-up JavaScript is ${kb(initialGzip)} KB gzip, over the budget of ${kb(budget)} KB`);
  for (const row of rows) {
    if (!row.area) problems.push(`${row.file} names no area (expected assets/<${AREAS.join('|')}>-…)`);
    else if (MUST_PRECACHE.includes(row.area) && !row.precached)
      problems.push(`${row.file} is in the ${row.area} area but the service worker does not precache it`);
    else if (NEVER_PRECACHE.includes(row.area) && row.precached)
      problems.push(`${row.file} is in the ${row.area} area but the service worker precaches it`);
  }
  return { rows, initialGzip, problems };
}

const kb = (bytes) => (bytes / 1024).toFixed(1);

export function report({ rows, initialGzip, problems }, budget = BUDGET_BYTES) {
  const lines = [
    `${'file'.padEnd(56)} ${'area'.padEnd(8)} ${'raw KB'.padStart(8)} ${'gzip KB'.padStart(8)}  initial  precached`,
  ];
  for (const row of rows)
    lines.push(
      `${row.file.padEnd(56)} ${(row.area ?? '?').padEnd(8)} ${kb(row.raw).padStart(8)} ${kb(row.gzip).padStart(8)}  ${(row.initial ? 'yes' : '').padEnd(7)}  ${row.precached ? 'yes' : ''}`,
    );
  for (const area of AREAS) {
    const mine = rows.filter((row) => row.area === area);
    if (mine.length)
      lines.push(
        `${area}: ${mine.length} chunks, ${kb(mine.reduce((s, r) => s + r.gzip, 0))} KB gzip, ${mine.filter((r) => r.precached).length} precached`,
      );
  }
  lines.push(`start-up JavaScript: ${kb(initialGzip)} KB gzip (budget ${kb(budget)} KB)`);
  lines.push(...problems.map((problem) => `✘ ${problem}`));
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const distDir = path.resolve(process.argv[2] ?? 'dist');
  const result = checkBuild(readBuild(distDir));
  process.stdout.write(`${report(result)}\n`);
  process.exit(result.problems.length === 0 ? 0 : 1);
}
