/**
 * Scenarios 3 (sync-day burst) and 4 (faults, burst part): 200 simulated devices in one commune
 * against the real server as a child process, on PGlite and on PostgreSQL, a fresh database and a
 * bounded window per run, each run verified afterwards (bench/burst/README.md).
 *
 * `deadlineMs`: the Date.now() time by which this must return (a value below 1e12 is read as a
 * budget in ms from now); the part never plans more than its own budget either; repetitions that
 * would not fit are skipped and logged.
 */
import type { ScenarioRow } from '../compare/table';
import { openPostgresHost, type PostgresHost, type StoreTarget } from '../harness/postgres';
import { openDevicePool } from './device-pool';
import { burstRows, faultRows } from './rows';
import { prepareBurstRun, type BurstRun } from './run-once';
import { buildBurstWorkload } from './workload';

const FULL = { devices: 200, opsPerDevice: 200, villages: 50, windowMs: 30_000, budgetMs: 180_000, repetitions: 5 };
const SMOKE = { devices: 10, opsPerDevice: 20, villages: 2, windowMs: 15_000, budgetMs: 60_000, repetitions: 1 };
/** Device threads (each runs half the devices). */
const WORKERS = 2;
const RESET_RATE = 0.1;
/**
 * What a run takes at most (server start, enrolment, the burst, verification) before one of that
 * kind has run: the longest whole runs measured here with a margin (2026-11-25 afternoon, schema 4
 * and batched member reads: PostgreSQL 7.5–8.4 s, PGlite 11–13.6 s and up to 15.5 s for the first
 * in a process, which also makes the empty PGlite template). After, the slowest seen so far
 * with a margin. A run starts only if that fits before the deadline; its window (the most its
 * devices may take) is never shortened.
 */
const FIRST_RUN_ESTIMATE_MS = { PostgreSQL: 10_000, PGlite: 17_000 } as const;
/** The smoke's 10 devices × 20 ops: a few seconds a run, mostly starting the server child. */
const SMOKE_FIRST_RUN_ESTIMATE_MS = 13_000;
const ESTIMATE_MARGIN = 1.2;

type Step = { readonly store: 'PGlite' | 'PostgreSQL'; readonly faults: boolean };

function plan(repetitions: number, hasPostgres: boolean, smoke: boolean): Step[] {
  const pg = (faults: boolean): Step[] => (hasPostgres ? [{ store: 'PostgreSQL', faults }] : []);
  const lite = (faults: boolean): Step[] => [{ store: 'PGlite', faults }];
  const times = (n: number, steps: Step[]) => Array.from({ length: Math.max(0, n) }, () => steps).flat();
  // Essentials first (one clean run per store, one faulty run), then PostgreSQL's repetitions (its
  // push p99 is the target), then PGlite under faults and PGlite's repetitions, while time allows.
  const first = smoke ? [...lite(false), ...lite(true), ...pg(false)] : [...pg(false), ...pg(true), ...lite(false)];
  return [
    ...first,
    ...times(repetitions - 1, pg(false)),
    ...(smoke ? [] : lite(true)),
    ...times(repetitions - 1, lite(false)),
  ];
}

export async function runBurstScenarios(options: {
  smoke: boolean;
  deadlineMs: number;
  log: (line: string) => void;
  /** Sample PostgreSQL's active statements during the first clean PostgreSQL run and log them. */
  profile?: boolean;
  /** The caller's PostgreSQL (kept open), or why there is none; by default the burst opens its own. */
  postgres?: PostgresHost | { readonly skipped: string };
}): Promise<ScenarioRow[]> {
  const scale = options.smoke ? SMOKE : FULL;
  const started = Date.now();
  const given = options.deadlineMs < 1e12 ? started + options.deadlineMs : options.deadlineMs;
  const deadline = Math.min(given, started + scale.budgetMs);
  const { log } = options;

  const workload = buildBurstWorkload({
    devices: scale.devices,
    opsPerDevice: scale.opsPerDevice,
    villageCount: scale.villages,
    seed: 20261124,
  });
  log(
    `burst: ${scale.devices} devices × ${scale.opsPerDevice} ops (mean data ${workload.meanDataBytes} B), ${scale.villages} villages, window ≤ ${scale.windowMs / 1000} s per run`,
  );
  const opened =
    options.postgres ??
    (await openPostgresHost({ durable: !options.smoke }).catch((error: unknown) => ({
      skipped: error instanceof Error ? error.message : String(error),
    })));
  const postgres: PostgresHost | undefined = 'skipped' in opened ? undefined : opened;
  if (!postgres && 'skipped' in opened) log(`burst: PostgreSQL skipped: ${opened.skipped}`);
  else if (postgres) log(`burst: ${postgres.name} (${postgres.durability})`);
  const runs: BurstRun[] = [];
  const slowest: Partial<Record<Step['store'], number>> = {};
  // The device threads load once, beside the first run's preparation.
  const pool = openDevicePool(WORKERS);
  // The run before, being verified while the next one is prepared (both untimed).
  let finishing: { readonly result: Promise<BurstRun>; readonly target: StoreTarget } | undefined;
  const settle = async () => {
    const last = finishing;
    finishing = undefined;
    if (!last) return;
    try {
      runs.push(await last.result);
    } finally {
      await postgres?.drop(last.target);
    }
  };
  try {
    for (const step of plan(scale.repetitions, postgres !== undefined, options.smoke)) {
      // A store's first run is judged by its measured upper bound, later ones by its slowest run + 20%.
      const measured = slowest[step.store];
      const expected =
        measured !== undefined
          ? measured * ESTIMATE_MARGIN
          : options.smoke
            ? SMOKE_FIRST_RUN_ESTIMATE_MS
            : FIRST_RUN_ESTIMATE_MS[step.store];
      // Every run gets its whole window: a shortened one would count devices cut short as errors.
      if (deadline - Date.now() < expected) {
        log(`burst: no time left for ${step.store}${step.faults ? ' + faults' : ''}; skipped`);
        continue;
      }
      const runStarted = Date.now();
      const target: StoreTarget =
        step.store === 'PostgreSQL' && postgres
          ? await postgres.freshDatabase({ keepEarlier: true })
          : { name: 'PGlite' };
      // The seed counts the runs before this one, including the one still being verified.
      const faults = step.faults
        ? { seed: 4000 + runs.length + (finishing ? 1 : 0), resetRate: RESET_RATE }
        : undefined;
      const prepared = await prepareBurstRun({ target, workload, faults, log }).catch(async (error: unknown) => {
        await postgres?.drop(target);
        throw error;
      });
      let finish: () => Promise<BurstRun>;
      try {
        // No burst beside another run's work: the run before is verified and stopped first.
        await settle();
        ({ finish } = await prepared.burst(pool, {
          deadlineEpochMs: Date.now() + scale.windowMs,
          profile:
            options.profile === true &&
            step.store === 'PostgreSQL' &&
            !step.faults &&
            !runs.some((r) => r.store !== 'PGlite'),
        }));
      } catch (error) {
        await prepared.discard();
        await postgres?.drop(target);
        throw error;
      }
      const result = finish().then((run) => {
        slowest[step.store] = Math.max(slowest[step.store] ?? 0, Date.now() - runStarted);
        return run;
      });
      // Awaited by the next run's settle or below; until then a failure must not count as unhandled.
      result.catch(() => undefined);
      finishing = { result, target };
    }
    await settle();
  } finally {
    // After a failure: the run being verified still ends (its server stopped, its folder removed).
    await finishing?.result.catch(() => undefined);
    if (finishing) await postgres?.drop(finishing.target).catch(() => undefined);
    await pool.close();
    if (options.postgres) await postgres?.dropAll().catch(() => undefined);
    else postgres?.close();
  }
  log(`burst: ${runs.length} runs in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const context = { smoke: options.smoke, window: `${scale.windowMs / 1000} s` };
  const rows: ScenarioRow[] = [];
  for (const store of [...new Set(runs.map((r) => r.store))]) {
    const clean = runs.filter((r) => r.store === store && !r.faults);
    const faulty = runs.filter((r) => r.store === store && r.faults);
    if (clean.length > 0) rows.push(...burstRows(clean, context));
    if (faulty.length > 0) rows.push(...faultRows(faulty, clean, context));
  }
  return rows;
}
