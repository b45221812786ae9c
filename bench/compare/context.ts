/**
 * What every comparison scenario gets from the runner (bench/run.ts), and the helpers they share:
 * a page with the kit loaded, PouchDB documents made from our records, repetitions that
 * alternate ours and the baseline within a time budget.
 */
import type { Page } from 'playwright-core';
import type { PouchDoc } from 'pouchdb-bench-types';
import { startProxy, trafficSince, type LoopbackProxy, type ProxyOptions } from '../../tests/support/loopback-proxy';
import { openProfile, type Profile } from '../harness/browser';
import { errorText, log, num, type Deadline } from '../harness/common';
import type { PouchServer } from '../harness/pouch-server';
import { makeOutboxTemplate, uploadWorkload, type BenchStore, type OutboxTemplate } from '../sync/scenarios';
import type { SyncContext } from '../sync/scenarios';
import type { CountsProfile } from './counts';
import type { BenchKit } from './page/entry';
import { makeRow, type RowInput } from './table';

/** The sync scenarios' context (ours: PGlite unless `store`; `detail` false), and the comparison's own. */
export interface CompareContext extends SyncContext {
  /** The baseline: express-pouchdb on LevelDB, also serving the page kit. */
  pouch: PouchServer;
  /** Up to this many timed repetitions per side (the issue: 5). */
  reps: number;
  /** Ours on PostgreSQL beside PGlite, or why not (no PostgreSQL binaries here). */
  postgres: BenchStore | { readonly skipped: string };
  /** Device profiles with an upload's outbox written once, by record count and copy (`outboxTemplate`). */
  templates: Map<string, Promise<OutboxTemplate>>;
  /**
   * Untimed set-up that later parts need (device templates, the counts' filled profile): started
   * during the first part's set-up, beside its own, so that no later part waits for it alone.
   * Each memoises its result in the context; a failure here is retried by the part that needs it.
   */
  readonly setupAhead: (() => Promise<unknown>)[];
  /** The counts' profile, filled once (`countsProfile` in counts.ts); disposed with the templates. */
  counts?: Promise<CountsProfile>;
}

/** A row of this run (judged unless the run is a smoke). */
export const rowOf = (ctx: CompareContext, input: RowInput) => makeRow(input, ctx.smoke);

/** " Errors: …." for a note, from the first two errors of a part's sides. */
export const errorNote = (errors: readonly string[]) =>
  errors.length > 0 ? ` Errors: ${errors.slice(0, 2).join('; ')}.` : '';

/**
 * A device profile holding the upload workload of `records` typed offline, written once (not
 * timed) and copied for every run of ours that uploads it: upload3g and faults share the 2,510.
 * The servers of those runs listen on its port (the origin IndexedDB belongs to), so two runs at
 * the same time need two copies (`copy` 0 and 1: the same data, each for its own port). Removed
 * by `disposeTemplates` when the run ends.
 */
export function outboxTemplate(ctx: CompareContext, records: number, copy = 0): Promise<OutboxTemplate> {
  const key = `${records}/${copy}`;
  const known = ctx.templates.get(key);
  if (known) return known;
  const made = (async () => {
    const t = performance.now();
    const workload = uploadWorkload(ctx, records);
    const template = await makeOutboxTemplate(ctx, workload);
    log(
      `a device profile${copy > 0 ? ` (copy ${copy + 1}, for runs beside the first)` : ''} with the ${num(workload.outbox.length)} changes of the upload written once in ${Math.round(performance.now() - t)} ms, copied for every run of ours (not timed)`,
    );
    return template;
  })();
  ctx.templates.set(key, made);
  made.catch(() => ctx.templates.delete(key));
  return made;
}

export async function disposeTemplates(ctx: CompareContext): Promise<void> {
  const all = [...ctx.templates.values(), ...(ctx.counts ? [ctx.counts] : [])];
  ctx.templates.clear();
  delete ctx.counts;
  for (const made of all) (await made.catch(() => undefined))?.dispose();
}

/** The PostgreSQL side of a scenario, if there is one. */
export function postgresOf(ctx: CompareContext): BenchStore | undefined {
  return 'skipped' in ctx.postgres ? undefined : ctx.postgres;
}

/** For a PostgreSQL row's note: why it has no numbers ('' when it has). */
export function postgresMissing(ctx: CompareContext): string {
  return 'skipped' in ctx.postgres ? ` Not measured: ${ctx.postgres.skipped}.` : '';
}

export const POUCH_KINDS = ['couch'];
/** The baseline server's requests are 'couch' (CouchDB API) or 'other' (the page kit). */
export const classifyPouch = (url: string) => (url.startsWith('/db/') ? 'couch' : 'other');

/** A proxy in front of the baseline server that counts bytes (and injects faults if asked). */
export function pouchProxy(ctx: CompareContext, faults?: ProxyOptions['faults']): Promise<LoopbackProxy> {
  return startProxy({ targetPort: ctx.pouch.port, classify: classifyPouch, ...(faults ? { faults } : {}) });
}

export interface KitPage extends Profile {
  /** Calls a kit function in the page. */
  kit<K extends keyof BenchKit>(
    name: K,
    ...args: BenchKit[K] extends (...a: infer A) => unknown ? A : never
  ): Promise<BenchKit[K] extends (...a: never[]) => infer R ? Awaited<R> : never>;
  reload(): Promise<void>;
}

async function waitForKit(page: Page, timeoutMs: number) {
  await page.waitForFunction(() => window.benchKit !== undefined, undefined, { timeout: timeoutMs });
}

/**
 * A fresh Chromium profile on disk with the kit page of `baseUrl` (the baseline server or its
 * proxy); `reopen`: a closed kit profile's directory, opened in place with what it holds.
 */
export async function openKitPage(baseUrl: string, deadline: Deadline, reopen?: string): Promise<KitPage> {
  const profile = await openProfile([], reopen === undefined ? undefined : { reopen });
  try {
    await profile.page.goto(`${baseUrl}/index.html`, { timeout: deadline.step(30_000) });
    await waitForKit(profile.page, deadline.step(30_000));
    return {
      ...profile,
      // Arguments go as one JSON string (every kit argument is plain JSON): for 25,000 docs that
      // is ~0.8 s instead of ~2.9 s through playwright's own serialisation.
      kit: (name, ...args) =>
        profile.page.evaluate(
          ({ name: fn, json }) => {
            const kit = window.benchKit as unknown as Record<string, (...a: unknown[]) => unknown>;
            const target = kit[fn];
            if (!target) throw new Error(`no kit function ${fn}`);
            return target(...(JSON.parse(json) as unknown[]));
          },
          { name: name as string, json: JSON.stringify(args) },
        ) as never,
      async reload() {
        await profile.page.reload({ timeout: deadline.step(30_000) });
        await waitForKit(profile.page, deadline.step(30_000));
      },
    };
  } catch (error) {
    await profile.close();
    throw error;
  }
}

/** One of our records as a PouchDB document: _id = record id, the same JSON data. */
export function asDoc(entity: string, record: { id: string; communeCode: string; data: unknown }): PouchDoc {
  return { _id: record.id, entity, communeCode: record.communeCode, data: record.data };
}

/** The upload workload's records as PouchDB documents (villages first). */
export const uploadDocs = (workload: ReturnType<typeof uploadWorkload>) => [
  ...workload.villages.map((v) => asDoc('village', v)),
  ...workload.households.map((h) => asDoc('household', h)),
];

/**
 * PouchDB's client for an upload: a kit page holding `docs` in its local database `local` (filled
 * once, untimed), behind a counting proxy to the CouchDB side that resets requests if asked.
 */
export interface PouchLane {
  page: KitPage;
  proxy: LoopbackProxy;
  docs: readonly PouchDoc[];
  seedMs: number;
  close(): Promise<void>;
}

export async function openPouchLane(
  ctx: CompareContext,
  local: string,
  docs: readonly PouchDoc[],
  faults?: ProxyOptions['faults'],
): Promise<PouchLane> {
  const proxy = await pouchProxy(ctx, faults);
  let page: KitPage | undefined;
  const close = async () => {
    await page?.close();
    await proxy.close();
  };
  try {
    page = await openKitPage(proxy.url, ctx.deadline);
    return { page, proxy, docs, seedMs: await page.kit('pouchSeed', local, docs), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** `replicate.to` a new database `name` of the CouchDB side through the lane's proxy: the run and its traffic. */
export async function replicateTo(
  ctx: CompareContext,
  lane: PouchLane,
  local: string,
  name: string,
  attempts: number,
  timeoutMs: number,
) {
  await new ctx.pouch.local(name).info();
  const before = lane.proxy.snapshot();
  const run = await lane.page.kit(
    'pouchReplicate',
    'to',
    local,
    ctx.pouch.dbUrl(name, lane.proxy.url),
    attempts,
    timeoutMs,
  );
  const traffic = trafficSince(lane.proxy.stats, before, POUCH_KINDS);
  if (!Number.isFinite(run.ms))
    throw new Error(`replication did not finish after ${run.attempts} attempt(s): ${run.errors.slice(-1).join('')}`);
  return { run, traffic, resets: trafficSince(lane.proxy.stats, before).resets };
}

/**
 * Runs `sides` in turn (ours, baseline, …) up to `reps` times, while the next round is expected
 * to end before `budgetEnd` (estimated from the slowest round so far). Every side's failure is
 * kept and the round goes on. Returns how many rounds ran. `together`: a round's sides run at
 * the same time (sides bound by their emulated links, each on its own), not one after the other.
 */
export async function alternate(
  what: string,
  reps: number,
  budgetEnd: number,
  sides: readonly { name: string; run: (rep: number) => Promise<void>; errors: string[] }[],
  options: { together?: boolean } = {},
): Promise<number> {
  let slowest = 0;
  let rounds = 0;
  for (let rep = 0; rep < reps; rep += 1) {
    if (rep > 0 && Date.now() + slowest * 1.1 > budgetEnd) {
      log(`${what}: budget reached after ${rep} round(s) (a round takes ~${Math.round(slowest / 1000)} s)`);
      break;
    }
    const started = Date.now();
    const run = async (side: (typeof sides)[number]) => {
      try {
        await side.run(rep);
      } catch (error) {
        side.errors.push(errorText(error));
        log(`${what} ${side.name} ${rep + 1}: ERROR ${errorText(error)}`);
      }
    };
    if (options.together) await Promise.all(sides.map(run));
    else for (const side of sides) await run(side);
    rounds += 1;
    slowest = Math.max(slowest, Date.now() - started);
  }
  return rounds;
}
