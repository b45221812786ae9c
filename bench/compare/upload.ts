/**
 * Scenario 1: upload N records from headless Chromium.
 * - ours: the real app's outbox push (click "Đồng bộ ngay" → outbox empty; bench/sync/scenarios.ts),
 *   a fresh server (PGlite on disk) and a fresh on-disk profile per repetition;
 * - PouchDB: pouchdb-browser in the page, the same records as docs, `replicate.to` a fresh database
 *   of express-pouchdb (LevelDB on disk) per repetition; the local database is filled once;
 * - ODK shape: one POST per record to our push endpoint (a one-op batch each), sequential, timed
 *   for a bounded sample and extrapolated linearly to N.
 * Bytes are counted by the loopback proxy in front of each server (HTTP headers included).
 */
import { toWire } from '../../src/client/sync/push-outbox';
import { enrollDevice } from '../../tests/support/sync-fixtures';
import { openProfile, type Throttle } from '../harness/browser';
import { log, round } from '../harness/common';
import { trafficSince } from '../../tests/support/loopback-proxy';
import { makeOutboxTemplate, runPush, type OutboxTemplate } from '../sync/scenarios';
import { startBenchServer, wireSince } from '../sync/server';
import { BENCH_COMMUNE_CODE, pushWorkload } from '../sync-data';
import { alternate, asDoc, openKitPage, postgresMissing, postgresOf, POUCH_KINDS, pouchProxy, type CompareContext } from './context';
import { makeRow, type ScenarioRow } from './result';

export interface UploadOptions {
  throttle: Throttle;
  records: number;
  /** Time for this scenario (all sides, all repetitions). */
  budgetMs: number;
  /** How long the one-POST-per-record client is timed per repetition. */
  odkSampleMs: number;
  /** Why N is what it is (shown in the notes), e.g. '3G: 2,500 records'. */
  scaleNote?: string;
}

const n = (x: number) => x.toLocaleString('en');
const mid = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export function uploadWorkload(ctx: CompareContext, records: number, salt = 0) {
  return pushWorkload({ seed: ctx.sync.seed + records + salt, households: records, villages: ctx.sync.pushVillages, startMs: Date.UTC(ctx.year, 0, 5) });
}

export async function runUpload(ctx: CompareContext, options: UploadOptions): Promise<ScenarioRow[]> {
  const { throttle, records } = options;
  const tag = throttle === '3g' ? '3g' : 'unthrottled';
  const budgetEnd = Date.now() + options.budgetMs;
  const stepMs = Math.max(30_000, options.budgetMs);
  const workload = uploadWorkload(ctx, records);
  const total = workload.outbox.length;
  const docs = [...workload.villages.map((v) => asDoc('village', v)), ...workload.households.map((h) => asDoc('household', h))];

  const ours = { ms: [] as number[], bytes: [] as number[], requests: [] as number[], errors: [] as string[] };
  const oursPg = { ms: [] as number[], errors: [] as string[] };
  const postgres = postgresOf(ctx);
  const pouch = { ms: [] as number[], bytes: [] as number[], requests: [] as number[], errors: [] as string[] };
  const odk = { perRecordMs: [] as number[], sent: [] as number[], bytes: [] as number[], errors: [] as string[] };

  const proxy = await pouchProxy(ctx);
  const odkServer = await startBenchServer(ctx.staticDir);
  let pouchPage: Awaited<ReturnType<typeof openKitPage>> | undefined;
  let template: OutboxTemplate | undefined;
  const done = { rounds: 0 };
  const odkPage = await openProfile();
  try {
    const syncCtx = { options: ctx.sync, deadline: ctx.deadline, staticDir: ctx.staticDir, year: ctx.year };
    const t = performance.now();
    template = await makeOutboxTemplate(syncCtx, workload);
    log(`upload ${tag}: a device profile with the ${n(total)} changes written once in ${round(performance.now() - t)} ms, copied for every repetition (not timed)`);
    const outboxTemplate = template;
    pouchPage = await openKitPage(proxy.url, ctx.deadline);
    const seedMs = await pouchPage.kit('pouchSeed', 'upload', docs);
    log(`upload ${tag}: PouchDB in the page holds ${n(docs.length)} docs (filled in ${round(seedMs)} ms, not timed)`);
    await odkPage.page.goto(`${odkServer.url}/api/v1/health`, { timeout: ctx.deadline.step(30_000) });
    const page = pouchPage;

    done.rounds = await alternate(`upload ${tag}`, ctx.reps, budgetEnd, [
      {
        name: 'ours',
        errors: ours.errors,
        run: async () => {
          const p = await runPush(syncCtx, records, throttle, false, ctx.deadline.step(stepMs), outboxTemplate);
          ours.ms.push(p.pushMs);
          ours.bytes.push(p.wire.up + p.wire.down);
          ours.requests.push(p.push.requests);
          log(`upload ${tag} ours: ${p.pushMs} ms, ${p.push.requests} requests, ${n(p.wire.up + p.wire.down)} B`);
        },
      },
      ...(postgres
        ? [
            {
              name: 'ours on PostgreSQL',
              errors: oursPg.errors,
              run: async () => {
                const p = await runPush({ ...syncCtx, store: postgres }, records, throttle, false, ctx.deadline.step(stepMs), outboxTemplate);
                oursPg.ms.push(p.pushMs);
                log(`upload ${tag} ours on PostgreSQL: ${p.pushMs} ms, ${p.push.requests} requests`);
              },
            },
          ]
        : []),
      {
        name: 'PouchDB',
        errors: pouch.errors,
        run: async (rep) => {
          const name = `upload-${tag}-${rep}`;
          await new ctx.pouch.local(name).info();
          const before = proxy.snapshot();
          await page.throttle(throttle);
          const run = await page.kit('pouchReplicate', 'to', 'upload', ctx.pouch.dbUrl(name, proxy.url), 1, ctx.deadline.step(stepMs));
          await page.throttle('none');
          const traffic = trafficSince(proxy.stats, before, POUCH_KINDS);
          const onServer = (await new ctx.pouch.local(name).info()).doc_count;
          if (!Number.isFinite(run.ms)) throw new Error(`replication did not finish: ${run.errors.join('; ')}`);
          if (onServer !== total) throw new Error(`the CouchDB side holds ${onServer} docs, expected ${total}`);
          pouch.ms.push(round(run.ms));
          pouch.bytes.push(traffic.up + traffic.down);
          pouch.requests.push(traffic.requests);
          log(`upload ${tag} PouchDB: ${round(run.ms)} ms, ${traffic.requests} requests, ${n(traffic.up + traffic.down)} B`);
        },
      },
      {
        name: 'one POST per record',
        errors: odk.errors,
        run: async (rep) => {
          const sample = uploadWorkload(ctx, records, 7919 * (rep + 1));
          const device = await enrollDevice(odkServer.directUrl, odkServer.store, { communeCode: BENCH_COMMUNE_CODE, deviceName: `Máy gửi từng bản ghi ${rep + 1}` });
          // Enough ops for the sample at ~1 ms a request; the loop stops at odkSampleMs anyway.
          const ops = sample.outbox.slice(0, Math.min(sample.outbox.length, Math.max(200, options.odkSampleMs * 2))).map((op, i) => toWire({ op, wireSeq: i + 1 }));
          const before = odkServer.proxyServer.snapshot();
          await odkPage.throttle(throttle);
          const result = await odkPage.page.evaluate(
            async ({ url, token, deviceId, list, maxMs }) => {
              const t0 = performance.now();
              let sent = 0;
              const problems: string[] = [];
              for (const op of list) {
                if (performance.now() - t0 >= maxMs || problems.length > 5) break;
                const response = await fetch(url, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
                  body: JSON.stringify({ protocol: 1, deviceId, ops: [op] }),
                });
                const body = (await response.json()) as { results?: { status: string }[] };
                if (response.status !== 200 || body.results?.[0]?.status !== 'applied') problems.push(`${response.status} ${JSON.stringify(body).slice(0, 160)}`);
                sent += 1;
              }
              return { sent, ms: performance.now() - t0, problems };
            },
            { url: `${odkServer.url}/api/v1/sync/push`, token: device.token, deviceId: device.deviceId, list: ops, maxMs: options.odkSampleMs },
          );
          await odkPage.throttle('none');
          if (result.problems.length > 0) throw new Error(`one-POST client: ${result.problems[0]}`);
          const wire = wireSince(odkServer.proxy, before, 'push');
          odk.perRecordMs.push(result.ms / result.sent);
          odk.sent.push(result.sent);
          odk.bytes.push((wire.up + wire.down) / result.sent);
          log(`upload ${tag} one POST per record: ${result.sent} records in ${round(result.ms)} ms (${(result.ms / result.sent).toFixed(2)} ms each)`);
        },
      },
    ]);
    log(`upload ${tag}: ${done.rounds} round(s)`);
  } finally {
    template?.dispose();
    await pouchPage?.close();
    await odkPage.close();
    await odkServer.close();
    await proxy.close();
  }

  const scale = [options.scaleNote, done.rounds < ctx.reps ? `${done.rounds} of ${ctx.reps} repetitions fit the time budget` : ''].filter(Boolean).join('; ') + (options.scaleNote || done.rounds < ctx.reps ? '; ' : '');
  const errors = (list: string[]) => (list.length > 0 ? ` Errors: ${list.slice(0, 2).join('; ')}.` : '');
  const odkExtrapolated = odk.perRecordMs.map((ms) => round(ms * total));
  return [
    makeRow(
      {
        scenario: '1-upload',
        id: `upload-${tag}`,
        label: `Upload ${n(total)} records, ${tag}: outbox push vs PouchDB replicate.to`,
        unit: 'ms',
        better: 'lower',
        ours: ours.ms,
        oursName: 'PGlite (disk)',
        baseline: pouch.ms,
        baselineName: 'PouchDB replicate.to → express-pouchdb (LevelDB)',
        target: { text: '≥ 10× PouchDB', ratio: 10 },
        note: `${scale}ours: click → outbox empty in the real app; PouchDB: replicate.to with default batch_size 100.${errors([...ours.errors, ...pouch.errors])}`,
      },
      ctx.smoke,
    ),
    makeRow(
      {
        scenario: '1-upload',
        id: `upload-${tag}-postgres`,
        label: `Upload ${n(total)} records, ${tag}: outbox push to our server on PostgreSQL vs PouchDB replicate.to`,
        unit: 'ms',
        better: 'lower',
        ours: postgres ? oursPg.ms : null,
        oursName: postgres?.name ?? 'PostgreSQL',
        baseline: pouch.ms,
        baselineName: 'PouchDB replicate.to → express-pouchdb (LevelDB)',
        target: { text: '≥ 10× PouchDB', ratio: 10 },
        note: `${scale}the same device and records as the PGlite row, a fresh PostgreSQL database per repetition.${postgresMissing(ctx)}${errors(oursPg.errors)}`,
      },
      ctx.smoke,
    ),
    makeRow(
      {
        scenario: '1-upload',
        id: `upload-${tag}-vs-odk`,
        label: `Upload ${n(total)} records, ${tag}: outbox push vs one POST per record (ODK shape)`,
        unit: 'ms',
        better: 'lower',
        ours: ours.ms,
        oursName: 'PGlite (disk)',
        baseline: odkExtrapolated,
        baselineName: 'one POST per record to our server (sequential)',
        ...(throttle === '3g' ? { target: { text: '≥ 20× one-POST-per-record', ratio: 20 } } : {}),
        note: `${scale}one-POST side: ${odk.sent.map(n).join(', ')} records timed in ${options.odkSampleMs / 1000} s per repetition, extrapolated linearly to ${n(total)} (not measured).${errors(odk.errors)}`,
      },
      ctx.smoke,
    ),
    makeRow(
      {
        scenario: '1-upload',
        id: `upload-${tag}-bytes`,
        label: `Upload, ${tag}: bytes on the wire per record (both ways, headers included)`,
        unit: 'B/record',
        better: 'lower',
        ours: ours.bytes.map((b) => Math.round((b / total) * 10) / 10),
        baseline: pouch.bytes.map((b) => Math.round((b / total) * 10) / 10),
        baselineName: 'PouchDB replicate.to',
        note: `one POST per record: ${odk.bytes.length > 0 ? round(mid(odk.bytes)) : '–'} B/record; requests: ours ${ours.requests[0] ?? '–'}, PouchDB ${pouch.requests[0] ?? '–'}.`,
      },
      ctx.smoke,
    ),
  ];
}
