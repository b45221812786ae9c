/**
 * Scenario 5: the home screen's per-village counts (households; Gia đình học tập assessed and
 * passed for the year) over a commune of 5,000 households and 20,000 citizens, on the device.
 * - ours: the app's own query (readVillageCounts in src/client/db/summary.queries.ts) over the
 *   app's Dexie database and indexes;
 * - PouchDB: two persistent map views (households → village; Gia đình học tập results by
 *   [title, year]) joined with the same countByVillage; the views are built once before timing
 *   (that build time is reported in the note).
 * Both live in one fresh on-disk profile, filled once (not timed) by `countsProfile`: `npm run
 * bench` does that during the upload's set-up (ctx.setupAhead), beside the other untimed work, and
 * reopens the closed profile here. "First" is the first query after a page reload (the database
 * not yet opened by the page: ours' open time is included); "warm" the next one.
 */
import fs from 'node:fs';
import { FULL_REGISTER, generateRegister, SMOKE_REGISTER } from '../data';
import { log, num, round, round1 } from '../harness/common';
import { asDoc, openKitPage, rowOf, type CompareContext } from './context';
import type { ScenarioRow } from './table';

/** The counts' profile: both databases filled and PouchDB's views built, the browser closed. */
export interface CountsProfile {
  readonly dir: string;
  readonly households: number;
  readonly citizens: number;
  readonly assessments: number;
  /** How long the fill and the view build took (not timed; in the note). */
  readonly seedNote: string;
  readonly indexMs: number;
  dispose(): void;
}

/** Fills the counts' profile once per run (memoised in the context; a failure is tried again). */
export function countsProfile(ctx: CompareContext): Promise<CountsProfile> {
  if (ctx.counts) return ctx.counts;
  const made = fillCountsProfile(ctx);
  ctx.counts = made;
  made.catch(() => {
    if (ctx.counts === made) delete ctx.counts;
  });
  return made;
}

async function fillCountsProfile(ctx: CompareContext): Promise<CountsProfile> {
  const { rows } = generateRegister({
    ...(ctx.smoke ? SMOKE_REGISTER : FULL_REGISTER),
    seed: ctx.seed,
    year: ctx.year,
  });
  const docs = [
    ...rows.villages.map((r) => asDoc('village', r)),
    ...rows.households.map((r) => asDoc('household', r)),
    ...rows.citizens.map((r) => asDoc('citizen', r)),
    ...rows.clans.map((r) => asDoc('clan', r)),
    ...rows.assessments.map((r) => asDoc('assessment', r)),
  ];
  const page = await openKitPage(ctx.pouch.url, ctx.deadline);
  try {
    const { villages, households, citizens, clans, assessments } = rows;
    const dexieMs = await page.kit('dexieSeed', { villages, households, citizens, clans, assessments });
    const pouchMs = await page.kit('pouchSeed', 'counts', docs);
    const indexMs = await page.kit('pouchCountsIndex', 'counts');
    const dir = await page.closeKeeping();
    const seedNote = `filled (not timed): Dexie ${round(dexieMs)} ms, PouchDB ${round(pouchMs)} ms for ${num(docs.length)} records`;
    log(`counts: ${seedNote}; PouchDB view build ${round(indexMs)} ms (the profile is reopened for the timed queries)`);
    return {
      dir,
      households: rows.households.length,
      citizens: rows.citizens.length,
      assessments: rows.assessments.length,
      seedNote,
      indexMs,
      dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await page.close();
    throw error;
  }
}

export async function runCountsComparison(ctx: CompareContext, budgetMs: number): Promise<ScenarioRow[]> {
  const budgetEnd = Date.now() + budgetMs;
  const ours = { first: [] as number[], warm: [] as number[] };
  const pouch = { first: [] as number[], warm: [] as number[] };
  const errors: string[] = [];
  const prepared = await countsProfile(ctx);
  // Opened in place: the profile is used once, then removed with the other templates.
  const page = await openKitPage(ctx.pouch.url, ctx.deadline, prepared.dir);
  try {
    let slowest = 0;
    for (let rep = 0; rep < ctx.reps && (rep === 0 || Date.now() + slowest * 1.2 < budgetEnd); rep += 1) {
      const started = Date.now();
      // Alternate which side goes first after the reload.
      for (const side of rep % 2 === 0 ? (['ours', 'pouch'] as const) : (['pouch', 'ours'] as const)) {
        await page.reload();
        if (side === 'ours') {
          const first = await page.kit('oursCounts', ctx.year);
          const warm = await page.kit('oursCounts', ctx.year);
          ours.first.push(round1(first.openMs + first.ms));
          ours.warm.push(round1(warm.ms));
          const other = await page.kit('pouchCounts', 'counts', ctx.year);
          if (JSON.stringify(other.totals) !== JSON.stringify(first.totals))
            errors.push(
              `the two sides disagree: ours ${JSON.stringify(first.totals)}, PouchDB ${JSON.stringify(other.totals)}`,
            );
        } else {
          const first = await page.kit('pouchCounts', 'counts', ctx.year);
          const warm = await page.kit('pouchCounts', 'counts', ctx.year);
          pouch.first.push(round1(first.ms));
          pouch.warm.push(round1(warm.ms));
        }
      }
      slowest = Math.max(slowest, Date.now() - started);
    }
    log(
      `counts: ours first ${ours.first.join(', ')} ms, warm ${ours.warm.join(', ')}; PouchDB first ${pouch.first.join(', ')}, warm ${pouch.warm.join(', ')}`,
    );
  } finally {
    await page.closeKeeping();
  }
  const base = {
    scenario: '5-counts',
    unit: 'ms',
    better: 'lower',
    oursName: 'Dexie (IndexedDB)',
    baselineName: 'PouchDB map views (IndexedDB adapter)',
  } as const;
  const errorNote = errors.length > 0 ? ` ${errors[0]}.` : '';
  const total = `${num(prepared.households)} households, ${num(prepared.citizens)} citizens, ${num(prepared.assessments)} assessments`;
  return [
    rowOf(ctx, {
      ...base,
      id: 'counts-first',
      label: `Per-village counts (${total}): first query after a reload`,
      ours: ours.first,
      baseline: pouch.first,
      note: `ours includes opening the database; PouchDB's views were built beforehand in ${round(prepared.indexMs)} ms (a cost ours pays at write time); ${prepared.seedNote}.${errorNote}`,
    }),
    rowOf(ctx, {
      ...base,
      id: 'counts-warm',
      label: 'Per-village counts: warm query',
      ours: ours.warm,
      baseline: pouch.warm,
    }),
  ];
}
