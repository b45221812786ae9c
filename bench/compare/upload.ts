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
import type { PouchDoc } from 'pouchdb-bench-types';
import { toWire } from '../../src/client/sync/push-outbox';
import { startProxy, type LoopbackProxy } from '../../tests/support/loopback-proxy';
import { enrollDevice } from '../../tests/support/sync-fixtures';
import { BENCH_COMMUNE_CODE } from '../data';
import { openProfile, type Profile, type Throttle } from '../harness/browser';
import { errorText, log, num, round } from '../harness/common';
import { median } from '../harness/stats';
import { runPush, uploadWorkload } from '../sync/scenarios';
import { kindOfUrl, startBenchServer, wireSince, type BenchServer } from '../sync/server';
import {
  alternate,
  errorNote,
  openPouchLane,
  outboxTemplate,
  postgresMissing,
  postgresOf,
  replicateTo,
} from './context';
import { rowOf, uploadDocs, type CompareContext, type PouchLane } from './context';
import type { ScenarioRow } from './table';

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

/**
 * What a baseline round needs of its own: PouchDB's lane (the same docs filled once) and a page for
 * the one-POST client behind a counting proxy to our server. Unthrottled, one lane serves every
 * round in turn; at 3G each round has its own.
 */
interface Lane {
  pouch: PouchLane;
  odkPage: Profile;
  odkProxy: LoopbackProxy;
  close(): Promise<void>;
}

async function openLane(ctx: CompareContext, odkServer: BenchServer, docs: readonly PouchDoc[]): Promise<Lane> {
  const odkProxy = await startProxy({ targetPort: Number(new URL(odkServer.directUrl).port), classify: kindOfUrl });
  let pouch: PouchLane | undefined;
  let odkPage: Profile | undefined;
  const close = async () => {
    await pouch?.close();
    await odkPage?.close();
    await odkProxy.close();
  };
  try {
    pouch = await openPouchLane(ctx, 'upload', docs);
    odkPage = await openProfile();
    await odkPage.page.goto(`${odkProxy.url}/api/v1/health`, { timeout: ctx.deadline.step(30_000) });
    return { pouch, odkPage, odkProxy, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export async function runUpload(ctx: CompareContext, options: UploadOptions): Promise<ScenarioRow[]> {
  const { throttle, records } = options;
  const tag = throttle === '3g' ? '3g' : 'unthrottled';
  const budgetEnd = Date.now() + options.budgetMs;
  const stepMs = Math.max(30_000, options.budgetMs);
  const workload = uploadWorkload(ctx, records);
  const total = workload.outbox.length;
  const docs = uploadDocs(workload);
  // At 3G the emulated link, not the CPU, sets the time (PouchDB ≈ 37 s for 2,510 records, the
  // same to the millisecond round after round when run alone; ours ≈ 3.5 s): the baselines'
  // rounds run at once, each browser on its own emulated link, after ours' rounds, whose two runs
  // (PGlite, PostgreSQL) run side by side, each on its own link. Ours never runs beside a baseline.
  const concurrent = throttle === '3g';

  const ours = { ms: [] as number[], bytes: [] as number[], requests: [] as number[], errors: [] as string[] };
  const oursPg = { ms: [] as number[], errors: [] as string[] };
  const postgres = postgresOf(ctx);
  const pouch = { ms: [] as number[], bytes: [] as number[], requests: [] as number[], errors: [] as string[] };
  const odk = { perRecordMs: [] as number[], sent: [] as number[], bytes: [] as number[], errors: [] as string[] };

  const odkServer = await startBenchServer(ctx.staticDir);
  let shared: Lane | undefined;
  const done = { rounds: 0, baselineRounds: 0 };

  const pouchRun = async (lane: Lane, rep: number) => {
    const name = `upload-${tag}-${rep}`;
    await lane.pouch.page.throttle(throttle);
    const { run, traffic } = await replicateTo(ctx, lane.pouch, 'upload', name, 1, ctx.deadline.step(stepMs));
    await lane.pouch.page.throttle('none');
    const onServer = (await new ctx.pouch.local(name).info()).doc_count;
    if (onServer !== total) throw new Error(`the CouchDB side holds ${onServer} docs, expected ${total}`);
    pouch.ms.push(round(run.ms));
    pouch.bytes.push(traffic.up + traffic.down);
    pouch.requests.push(traffic.requests);
    log(
      `upload ${tag} PouchDB ${rep + 1}: ${round(run.ms)} ms, ${traffic.requests} requests, ${num(traffic.up + traffic.down)} B`,
    );
  };

  const odkRun = async (lane: Lane, rep: number) => {
    const sample = uploadWorkload(ctx, records, 7919 * (rep + 1));
    const device = await enrollDevice(odkServer.directUrl, odkServer.store, {
      communeCode: BENCH_COMMUNE_CODE,
      deviceName: `Máy gửi từng bản ghi ${rep + 1}`,
    });
    // Enough ops for the sample at ~1 ms a request; the loop stops at odkSampleMs anyway.
    const ops = sample.outbox
      .slice(0, Math.min(sample.outbox.length, Math.max(200, options.odkSampleMs * 2)))
      .map((op, i) => toWire({ op, wireSeq: i + 1 }));
    const before = lane.odkProxy.snapshot();
    await lane.odkPage.throttle(throttle);
    const result = await lane.odkPage.page.evaluate(
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
          if (response.status !== 200 || body.results?.[0]?.status !== 'applied')
            problems.push(`${response.status} ${JSON.stringify(body).slice(0, 160)}`);
          sent += 1;
        }
        return { sent, ms: performance.now() - t0, problems };
      },
      {
        url: `${lane.odkProxy.url}/api/v1/sync/push`,
        token: device.token,
        deviceId: device.deviceId,
        list: ops,
        maxMs: options.odkSampleMs,
      },
    );
    await lane.odkPage.throttle('none');
    if (result.problems.length > 0) throw new Error(`one-POST client: ${result.problems[0]}`);
    const wire = wireSince(lane.odkProxy.stats, before, 'push');
    odk.perRecordMs.push(result.ms / result.sent);
    odk.sent.push(result.sent);
    odk.bytes.push((wire.up + wire.down) / result.sent);
    log(
      `upload ${tag} one POST per record ${rep + 1}: ${result.sent} records in ${round(result.ms)} ms (${(result.ms / result.sent).toFixed(2)} ms each)`,
    );
  };

  /**
   * The baseline's rounds at 3G, after ours': every lane is opened first (its two browsers, the
   * PouchDB docs filled), then every PouchDB round and every one-POST sample start at once, each
   * browser on its own emulated link, so that no round overlaps another's setup.
   */
  const laneRounds = async (count: number) => {
    const lanes: Lane[] = [];
    try {
      // Opened side by side (set-up, not timed); every one that opened is closed below.
      const opened = await Promise.allSettled(Array.from({ length: count }, () => openLane(ctx, odkServer, docs)));
      for (const lane of opened) if (lane.status === 'fulfilled') lanes.push(lane.value);
      const failed = opened.find((lane) => lane.status === 'rejected');
      if (failed) throw failed.reason;
      await Promise.all(
        lanes.flatMap((lane, rep) =>
          (
            [
              ['PouchDB', pouchRun, pouch.errors],
              ['one POST per record', odkRun, odk.errors],
            ] as const
          ).map(async ([name, side, errors]) => {
            try {
              await side(lane, rep);
            } catch (error) {
              errors.push(errorText(error));
              log(`upload ${tag} ${name} ${rep + 1}: ERROR ${errorText(error)}`);
            }
          }),
        ),
      );
      done.baselineRounds = lanes.length;
    } finally {
      for (const lane of lanes) await lane.close();
    }
  };

  try {
    // Set-up (not timed) of both sides at once: our device template, PouchDB's filled page, and
    // what later parts will need (their device templates, the counts' filled profile).
    // Later parts' set-up that fails here is tried again by that part; this one goes on.
    const ahead = Promise.all(ctx.setupAhead.map((work) => work().catch(() => undefined)));
    // At 3G ours' two runs of a round go side by side, each on its own emulated link: the second
    // needs its own copy of the device (another port, so another origin).
    const [madeTemplate, openedLane, madeTwin] = await Promise.allSettled([
      outboxTemplate(ctx, records),
      concurrent ? undefined : openLane(ctx, odkServer, docs),
      concurrent && postgres ? outboxTemplate(ctx, records, 1) : undefined,
      ahead,
    ]);
    if (openedLane.status === 'fulfilled' && openedLane.value) {
      shared = openedLane.value; // closed below, whatever happens next
      log(
        `upload ${tag}: PouchDB in the page holds ${num(docs.length)} docs (filled in ${round(openedLane.value.pouch.seedMs)} ms, not timed)`,
      );
    }
    if (madeTemplate.status === 'rejected') throw madeTemplate.reason;
    if (openedLane.status === 'rejected') throw openedLane.reason;
    if (madeTwin.status === 'rejected') throw madeTwin.reason;
    const template = madeTemplate.value;
    const twin = madeTwin.value ?? template;
    const sharedLane = shared;
    done.rounds = await alternate(
      `upload ${tag}`,
      ctx.reps,
      budgetEnd,
      [
        {
          name: 'ours',
          errors: ours.errors,
          run: async (rep) => {
            const p = await runPush(ctx, records, throttle, false, ctx.deadline.step(stepMs), template);
            ours.ms.push(p.pushMs);
            ours.bytes.push(p.wire.up + p.wire.down);
            ours.requests.push(p.push.requests);
            log(
              `upload ${tag} ours ${rep + 1}: ${p.pushMs} ms, ${p.push.requests} requests, ${num(p.wire.up + p.wire.down)} B`,
            );
          },
        },
        ...(postgres
          ? [
              {
                name: 'ours on PostgreSQL',
                errors: oursPg.errors,
                run: async (rep: number) => {
                  const p = await runPush(
                    { ...ctx, store: postgres },
                    records,
                    throttle,
                    false,
                    ctx.deadline.step(stepMs),
                    twin,
                  );
                  oursPg.ms.push(p.pushMs);
                  log(`upload ${tag} ours on PostgreSQL ${rep + 1}: ${p.pushMs} ms, ${p.push.requests} requests`);
                },
              },
            ]
          : []),
        ...(sharedLane
          ? [
              { name: 'PouchDB', errors: pouch.errors, run: (rep: number) => pouchRun(sharedLane, rep) },
              { name: 'one POST per record', errors: odk.errors, run: (rep: number) => odkRun(sharedLane, rep) },
            ]
          : []),
      ],
      { together: concurrent },
    );
    if (concurrent) await laneRounds(done.rounds);
    if (!concurrent) done.baselineRounds = done.rounds;
    log(
      `upload ${tag}: ${done.rounds} round(s)${concurrent ? `, then ${done.baselineRounds} baseline round(s) at once` : ''}`,
    );
  } finally {
    await shared?.close();
    await odkServer.close();
  }

  const together = concurrent
    ? `the baselines' ${done.baselineRounds} rounds ran at once after ours' rounds, each Chromium on its own emulated 3G link (the link, not the CPU, sets their time); ours on PGlite and on PostgreSQL ran side by side in each round, each on its own link`
    : '';
  const scale = [
    options.scaleNote,
    together,
    done.rounds < ctx.reps ? `${done.rounds} of ${ctx.reps} repetitions fit the time budget` : '',
  ]
    .filter(Boolean)
    .join('; ');
  const scaleNote = scale ? `${scale}; ` : '';
  const odkExtrapolated = odk.perRecordMs.map((ms) => round(ms * total));
  const upload = `Upload ${num(total)} records, ${tag}`;
  const pouchName = 'PouchDB replicate.to → express-pouchdb (LevelDB)';
  const versusPouch = { unit: 'ms', better: 'lower', baseline: pouch.ms, baselineName: pouchName } as const;
  const tenTimes = { text: '≥ 10× PouchDB', ratio: 10 };
  const perRecord = (list: number[]) => list.map((b) => Math.round((b / total) * 10) / 10);
  return [
    rowOf(ctx, {
      scenario: '1-upload',
      id: `upload-${tag}`,
      label: `${upload}: outbox push vs PouchDB replicate.to`,
      ...versusPouch,
      ours: ours.ms,
      oursName: 'PGlite (disk)',
      target: tenTimes,
      note: `${scaleNote}ours: click → outbox empty in the real app; PouchDB: replicate.to with default batch_size 100.${errorNote([...ours.errors, ...pouch.errors])}`,
    }),
    rowOf(ctx, {
      scenario: '1-upload',
      id: `upload-${tag}-postgres`,
      label: `${upload}: outbox push to our server on PostgreSQL vs PouchDB replicate.to`,
      ...versusPouch,
      ours: postgres ? oursPg.ms : null,
      oursName: postgres?.name ?? 'PostgreSQL',
      target: tenTimes,
      note: `${scaleNote}the same device and records as the PGlite row, a fresh PostgreSQL database per repetition.${postgresMissing(ctx)}${errorNote(oursPg.errors)}`,
    }),
    rowOf(ctx, {
      scenario: '1-upload',
      id: `upload-${tag}-vs-odk`,
      label: `${upload}: outbox push vs one POST per record (ODK shape)`,
      unit: 'ms',
      better: 'lower',
      ours: ours.ms,
      oursName: 'PGlite (disk)',
      baseline: odkExtrapolated,
      baselineName: 'one POST per record to our server (sequential)',
      target: throttle === '3g' ? { text: '≥ 20× one-POST-per-record', ratio: 20 } : undefined,
      note: `${scaleNote}one-POST side: ${odk.sent.map(num).join(', ')} records timed in ${options.odkSampleMs / 1000} s per repetition, extrapolated linearly to ${num(total)} (not measured).${errorNote(odk.errors)}`,
    }),
    rowOf(ctx, {
      scenario: '1-upload',
      id: `upload-${tag}-bytes`,
      label: `Upload, ${tag}: bytes on the wire per record (both ways, headers included)`,
      unit: 'B/record',
      better: 'lower',
      ours: perRecord(ours.bytes),
      baseline: perRecord(pouch.bytes),
      baselineName: 'PouchDB replicate.to',
      note: `one POST per record: ${odk.bytes.length > 0 ? round(median(odk.bytes)) : '–'} B/record; requests: ours ${ours.requests[0] ?? '–'}, PouchDB ${pouch.requests[0] ?? '–'}.`,
    }),
  ];
}
