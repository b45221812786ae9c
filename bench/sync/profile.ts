/**
 * Where the time of one timed sync goes: server requests, the page's fetches, its IndexedDB
 * transactions, and (with --profile) the page's CPU profile.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CDPSession } from 'playwright-core';
import { fileStamp, RESULTS_DIR, ROOT, round, round1 } from '../harness/common';
import { median, sum } from '../harness/stats';
import type { FetchEvent, TxEvent } from '../probes';
import type { RequestSample, topStatements } from './server';

export interface Traffic {
  requests: number;
  requestBodyBytes: number;
  requestJsonBytes: number | null;
  responseBodyBytes: number;
  responseJsonBytes: number;
  /** CDP encodedDataLength of the responses (headers included). */
  cdpResponseBytes: number;
  /** onRequest → onResponse, summed; of which receiving + gunzipping + parsing the body. */
  serverMs: number;
  serverBodyInMs: number;
  transactionMs: number;
  queries: number;
  queryMs: number;
  topStatements: ReturnType<typeof topStatements>;
}

export function traffic(
  samples: readonly RequestSample[],
  kind: 'push' | 'pull',
  encoded: readonly { url: string; bytes: number }[],
  requestJsonBytes: number | null,
  statements: ReturnType<typeof topStatements>,
): Traffic {
  const mine = samples.filter((s) => s.kind === kind);
  return {
    requests: mine.length,
    requestBodyBytes: sum(mine.map((s) => s.requestBytes)),
    requestJsonBytes,
    responseBodyBytes: sum(mine.map((s) => s.responseBytes)),
    responseJsonBytes: sum(mine.map((s) => s.responseJsonBytes)),
    cdpResponseBytes: sum(encoded.filter((e) => e.url.includes(`/sync/${kind}`)).map((e) => e.bytes)),
    serverMs: round(sum(mine.map((s) => s.end - s.start))),
    serverBodyInMs: round(sum(mine.map((s) => s.handler - s.start))),
    transactionMs: round(sum(mine.map((s) => s.transactionMs))),
    queries: sum(mine.map((s) => s.queries)),
    queryMs: round(sum(mine.map((s) => s.queryMs))),
    topStatements: statements,
  };
}

/** The page's view: time from fetch() to the parsed answer (network + server), and the rest. */
export function fetchProfile(
  fetches: readonly FetchEvent[],
  kind: 'push' | 'pull',
  startMs: number,
  endMs: number | null,
) {
  const mine = fetches.filter((f) => f.kind === kind);
  const first = mine[0];
  if (!first || endMs === null) return null;
  const inFlight = sum(mine.map((f) => f.tBody - f.tCall));
  const span = endMs - Math.min(startMs, first.tCall);
  return {
    requests: mine.length,
    spanMs: round(span),
    fetchToParsedMs: round(inFlight),
    deviceMs: round(span - inFlight),
  };
}

export type TxGroup = 'takeBatch' | 'applyResults' | 'pullPage' | 'other';

/** The app's readwrite IndexedDB transactions by role (object stores tell which code opened them). */
export function transactionProfile(transactions: readonly TxEvent[], from: number, to: number | null) {
  const groups: Record<TxGroup, number[]> = { takeBatch: [], applyResults: [], pullPage: [], other: [] };
  for (const t of transactions) {
    if (t.start < from || (to !== null && t.start > to) || !Number.isFinite(t.end)) continue;
    const group: TxGroup = t.stores.includes('conflicts')
      ? 'applyResults'
      : t.stores === 'outbox,settings'
        ? 'takeBatch'
        : t.stores.includes('villages')
          ? 'pullPage'
          : 'other';
    groups[group].push(t.end - t.start);
  }
  return Object.fromEntries(
    Object.entries(groups)
      .filter(([, list]) => list.length > 0)
      .map(([group, list]) => [group, { n: list.length, totalMs: round(sum(list)), medianMs: round1(median(list)) }]),
  ) as Partial<Record<TxGroup, { n: number; totalMs: number; medianMs: number }>>;
}

export interface ProfileSummary {
  file: string;
  sampledMs: number;
  /** Self time by function (name, file:line). */
  self: { fn: string; ms: number }[];
  /** Time with the function on the stack, by function name. */
  inclusive: { fn: string; ms: number }[];
}

export async function startProfile(cdp: CDPSession) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
}

/** Stops the page's CPU profile, writes it to bench/results/ and sums it up. */
export async function stopProfile(cdp: CDPSession, label: string): Promise<ProfileSummary> {
  const { profile } = await cdp.send('Profiler.stop');
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `sync-profile-${label}-${fileStamp(new Date())}.cpuprofile`);
  fs.writeFileSync(file, JSON.stringify(profile));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (id: number) => {
    const f = nodes.get(id)?.callFrame;
    return f ? f.functionName || `(anonymous ${path.basename(f.url)}:${f.lineNumber + 1})` : '?';
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  samples.forEach((id, i) => {
    const ms = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    total += ms;
    const f = nodes.get(id)?.callFrame;
    const where = f && f.url ? ` ${path.basename(f.url)}:${f.lineNumber + 1}` : '';
    const key = `${name(id)}${where}`;
    self.set(key, (self.get(key) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const fn = name(at);
      if (seen.has(fn)) continue;
      seen.add(fn);
      inclusive.set(fn, (inclusive.get(fn) ?? 0) + ms);
    }
  });
  const top = (m: Map<string, number>, count: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([fn, ms]) => ({ fn, ms: round(ms) }));
  return {
    file: path.relative(ROOT, file),
    sampledMs: round(total),
    self: top(self, 25),
    inclusive: top(inclusive, 60),
  };
}
