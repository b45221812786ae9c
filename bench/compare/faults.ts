/**
 * Scenario 4, browser half: scenario 1's upload through the loopback proxy resetting 10% of the
 * sync requests (seeded; half before the request reaches the server, half once the server's
 * answer begins, i.e. after its commit). Both clients start again at once after a failure (ours:
 * the bench clicks "Đồng bộ ngay" again instead of waiting for the app's backoff; PouchDB:
 * replicate.to again, resuming from its checkpoint). Then: records lost and duplicated on the
 * server, and the bytes and requests spent beyond a clean run of the same size.
 */
import type { Page } from 'playwright-core';
import { trafficSince } from '../../tests/support/loopback-proxy';
import { BENCH_COMMUNE_CODE } from '../data';
import { errorText, log, num, round, sleep } from '../harness/common';
import { sum } from '../harness/stats';
import { deviceState, startSync, TEXT } from '../sync/device';
import { prepareOutboxDevice, uploadWorkload, type BenchStore } from '../sync/scenarios';
import { countServerRecords, startBenchServer, type BenchServer } from '../sync/server';
import { openPouchLane, outboxTemplate, postgresMissing, postgresOf, POUCH_KINDS, replicateTo, rowOf } from './context';
import { uploadDocs, type CompareContext, type PouchLane } from './context';
import type { ScenarioRow } from './table';

const RESET_RATE = 0.1;
/** The smoke resets half of the requests, so that its one or two requests do meet a reset. */
const SMOKE_RESET_RATE = 0.5;
const SYNC_KINDS = ['push', 'pull'];

type FaultRun = Awaited<ReturnType<typeof pouchUnderFaults>>;

/** Clicks "Đồng bộ ngay" again whenever the status line shows a failure and the button is free. */
async function retryIfFailed(page: Page): Promise<boolean> {
  return page.evaluate((failures) => {
    const status = document.querySelector('[data-testid="sync-status"]')?.textContent ?? '';
    if (!failures.includes(status)) return false;
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Đồng bộ ngay');
    if (!button || button.disabled) return false;
    button.click();
    return true;
  }, TEXT.failures);
}

async function serverDuplicates(server: BenchServer): Promise<number> {
  const rows = await server.store.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM records WHERE commune_code = $1 AND version <> 1',
    [BENCH_COMMUNE_CODE],
  );
  return Number(rows[0]?.n ?? 0);
}

async function oursUnderFaults(
  ctx: CompareContext,
  records: number,
  seed: number,
  timeoutMs: number,
  rate: number,
  store?: BenchStore,
): Promise<FaultRun> {
  const template = await outboxTemplate(ctx, records);
  const { workload } = template;
  const total = workload.outbox.length;
  const server = await startBenchServer(ctx.staticDir, {
    faults: { resetRate: rate, seed, kinds: SYNC_KINDS },
    databaseUrl: await store?.freshDatabaseUrl(),
    port: template.port,
  });
  const onServer = async () => sum(Object.values(await countServerRecords(server.store)));
  try {
    const { device } = await prepareOutboxDevice(ctx, server, workload, template);
    try {
      const before = server.proxy.snapshot();
      const started = Date.now();
      await startSync(device.page);
      let retries = 0;
      for (;;) {
        if (Date.now() - started > timeoutMs)
          throw new Error(`not done within ${round(timeoutMs / 1000)} s (${retries} retries)`);
        await sleep(300);
        if (await retryIfFailed(device.page)) retries += 1;
        if ((await onServer()) < total) continue;
        const state = await deviceState(device.page);
        if ((state.counts.outbox ?? -1) === 0) break;
      }
      const ms = Date.now() - started;
      const traffic = trafficSince(server.proxy.stats, before, ['push']);
      return {
        ms,
        lost: total - (await onServer()),
        duplicated: await serverDuplicates(server),
        bytes: traffic.up + traffic.down,
        requests: traffic.requests,
        resets: trafficSince(server.proxy.stats, before).resets,
        retries,
      };
    } finally {
      await device.close();
    }
  } finally {
    await server.close();
  }
}

/**
 * PouchDB's side of a fault run: `replicate.to` a new database through the lane's proxy (for the
 * faulty runs one lane, made once, whose seeded sequence of resets runs on), again from its
 * checkpoint after each failure; then the docs missing or beyond their first revision.
 */
async function pouchUnderFaults(ctx: CompareContext, lane: PouchLane, name: string, timeoutMs: number) {
  const { run, traffic, resets } = await replicateTo(ctx, lane, 'faults', name, 500, timeoutMs);
  const all = await new ctx.pouch.local(name).allDocs({ include_docs: true, conflicts: true });
  const ids = new Set(all.rows.map((r) => r.id));
  const conflicting = (r: (typeof all.rows)[number]) =>
    !r.value.rev.startsWith('1-') || (r.doc?._conflicts?.length ?? 0) > 0;
  return {
    ms: round(run.ms),
    lost: lane.docs.filter((d) => !ids.has(d._id)).length,
    duplicated: all.rows.filter(conflicting).length,
    bytes: traffic.up + traffic.down,
    requests: traffic.requests,
    resets,
    retries: run.attempts - 1,
  };
}

export async function runFaultComparison(
  ctx: CompareContext,
  records: number,
  budgetMs: number,
): Promise<ScenarioRow[]> {
  const budgetEnd = Date.now() + budgetMs;
  const ours: FaultRun[] = [];
  const oursPg: FaultRun[] = [];
  const postgres = postgresOf(ctx);
  const pouch: FaultRun[] = [];
  const clean: { ours: FaultRun | null; pouch: FaultRun | null } = { ours: null, pouch: null };
  const errors: string[] = [];
  let slowest = 0;
  // Round 0 starts with a clean run of each side (same size, same code, no resets): the reference
  // for the extra bytes and requests (not in the smoke, to keep it short).
  const rate = ctx.smoke ? SMOKE_RESET_RATE : RESET_RATE;
  const docs = uploadDocs(uploadWorkload(ctx, records));
  const lane = (seed: number, resetRate: number) =>
    openPouchLane(ctx, 'faults', docs, { resetRate, seed, kinds: POUCH_KINDS });
  let faultyLane: Promise<PouchLane> | undefined;
  const faultyPouch = async (c: CompareContext, _n: number, seed: number, t: number) => {
    faultyLane ??= lane(c.seed, rate);
    return pouchUnderFaults(c, await faultyLane, `faults-${seed}-reset`, t);
  };
  const cleanPouch = async (c: CompareContext, _n: number, seed: number, t: number) => {
    const clean = await lane(seed, 0);
    try {
      return await pouchUnderFaults(c, clean, `faults-${seed}-clean`, t);
    } finally {
      await clean.close();
    }
  };
  try {
    for (let rep = 0; rep < ctx.reps && (rep === 0 || Date.now() + slowest * 1.1 < budgetEnd); rep += 1) {
      const started = Date.now();
      const seed = ctx.seed + 101 * rep;
      const limit = ctx.deadline.step(Math.max(30_000, budgetMs));
      const runs = [
        ...(rep === 0 && !ctx.smoke
          ? ([
              ['ours clean', oursUnderFaults, 0, (r: FaultRun) => (clean.ours = r)],
              ['PouchDB clean', cleanPouch, 0, (r: FaultRun) => (clean.pouch = r)],
            ] as const)
          : []),
        ['ours', oursUnderFaults, rate, (r: FaultRun) => ours.push(r)],
        ...(postgres
          ? ([
              [
                'ours on PostgreSQL',
                (c: CompareContext, n: number, s: number, t: number, r: number) =>
                  oursUnderFaults(c, n, s, t, r, postgres),
                rate,
                (r: FaultRun) => oursPg.push(r),
              ],
            ] as const)
          : []),
        ['PouchDB', faultyPouch, rate, (r: FaultRun) => pouch.push(r)],
      ] as const;
      for (const [side, run, resetRate, keep] of runs) {
        try {
          const r = await run(ctx, records, seed, limit, resetRate);
          keep(r);
          log(
            `faults ${side} ${rep + 1}: ${r.ms} ms, lost ${r.lost}, duplicated ${r.duplicated}, ${r.resets} resets, ${r.retries} retries, ${r.requests} requests, ${r.bytes.toLocaleString('en')} B`,
          );
        } catch (error) {
          errors.push(`${side}: ${errorText(error)}`);
          log(`faults ${side} ${rep + 1}: ERROR ${errors.at(-1) ?? ''}`);
        }
      }
      slowest = Math.max(
        slowest,
        Date.now() - started - (rep === 0 ? (clean.ours?.ms ?? 0) + (clean.pouch?.ms ?? 0) : 0),
      );
    }
  } finally {
    await faultyLane?.then((l) => l.close()).catch(() => undefined);
  }
  const extra = (runs: FaultRun[], base: FaultRun | null, key: 'bytes' | 'requests') =>
    base === null
      ? null
      : runs.map((r) =>
          key === 'bytes' ? Math.round(((r.bytes - base.bytes) / base.bytes) * 1000) / 10 : r.requests - base.requests,
        );
  const base = {
    scenario: '4-faults',
    better: 'lower',
    oursName: 'PGlite (disk)',
    baselineName: 'PouchDB replicate.to → express-pouchdb (LevelDB)',
  } as const;
  const zero = { text: '0', max: 0 };
  const what = `upload of ${num(records + ctx.pushVillages)} records, ${Math.round(rate * 100)}% of sync requests reset`;
  const errorNote = errors.length > 0 ? ` Errors: ${errors.slice(0, 2).join('; ')}.` : '';
  const resets = (runs: FaultRun[]) => runs.map((r) => `${r.resets}/${r.retries}`).join(', ') || '–';
  const cleanRun = (r: FaultRun | null) => `${r?.requests ?? '–'} requests, ${r?.bytes.toLocaleString('en') ?? '–'} B`;
  return [
    rowOf(ctx, {
      ...base,
      id: 'faults-upload-lost',
      label: `Faults (${what}): records lost`,
      unit: 'count',
      ours: ours.map((r) => r.lost),
      baseline: pouch.map((r) => r.lost),
      target: zero,
      note: `resets/retries per run: ours ${resets(ours)}, PouchDB ${resets(pouch)}.${errorNote}`,
    }),
    rowOf(ctx, {
      ...base,
      id: 'faults-upload-duplicated',
      label: 'Faults: records duplicated (applied twice or conflicting)',
      unit: 'count',
      ours: ours.map((r) => r.duplicated),
      baseline: pouch.map((r) => r.duplicated),
      target: zero,
      note: 'ours: server records with version ≠ 1; PouchDB: docs with a rev beyond 1- or with conflicts.',
    }),
    rowOf(ctx, {
      ...base,
      id: 'faults-upload-lost-duplicated-postgres',
      label: 'Faults: records lost + duplicated, our server on PostgreSQL',
      unit: 'count',
      ours: postgres ? oursPg.map((r) => r.lost + r.duplicated) : null,
      oursName: postgres?.name ?? 'PostgreSQL',
      baseline: pouch.map((r) => r.lost + r.duplicated),
      target: zero,
      note: `resets/retries per run: ${resets(oursPg)}.${postgresMissing(ctx)}`,
    }),
    rowOf(ctx, {
      ...base,
      id: 'faults-upload-extra-bytes',
      label: 'Faults: extra bytes vs a clean upload of the same size',
      unit: '%',
      ours: extra(ours, clean.ours, 'bytes'),
      baseline: extra(pouch, clean.pouch, 'bytes'),
      note: `against one clean run of the same size and code (ours ${cleanRun(clean.ours)}; PouchDB ${cleanRun(clean.pouch)}).`,
    }),
    rowOf(ctx, {
      ...base,
      id: 'faults-upload-extra-requests',
      label: 'Faults: extra requests vs a clean upload',
      unit: 'count',
      ours: extra(ours, clean.ours, 'requests'),
      baseline: extra(pouch, clean.pouch, 'requests'),
    }),
    rowOf(ctx, {
      ...base,
      id: 'faults-upload-time',
      label: 'Faults: time until every record is on the server',
      unit: 'ms',
      ours: ours.map((r) => r.ms),
      baseline: pouch.map((r) => r.ms),
      note: 'ours: polled every 300 ms (server count and device outbox).',
    }),
  ];
}
