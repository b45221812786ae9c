/**
 * The register screens the benchmark times, and the data it picks for them from the generated
 * register (the biggest village, a search query, households to open, citizens to assess). Every
 * measurement returns one Timing taken inside the page (bench/page-probe.ts).
 */
import type { Page } from 'playwright-core';
import { householdMatches, queryWords } from '../../src/client/db/household-search';
import { foldForSearch } from '../../src/shared/text/fold';
import type { GeneratedRegister } from '../data';
import type { Timing } from '../probes';

export interface SearchCase {
  /** The typed query (no diacritics) and how many households of the village it matches. */
  query: string;
  expected: number;
  /** The same query one character shorter, for the "one more character" keystroke. */
  prefix: string;
  prefixExpected: number;
}

export interface Scenario {
  villageId: string;
  villageName: string;
  villageHouseholds: number;
  totalHouseholds: number;
  villageCount: number;
  search: SearchCase;
  /** Households to open in the edit form, with their members' names. */
  forms: { id: string; names: string[] }[];
  /** Citizens with no Công dân học tập assessment yet this year. */
  citizensToAssess: string[];
}

export function pickScenario(register: GeneratedRegister, needed: number): Scenario {
  const { rows } = register;
  const counts = new Map<string, number>();
  for (const h of rows.households) counts.set(h.data.villageId, (counts.get(h.data.villageId) ?? 0) + 1);
  const [villageId, villageHouseholds] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  const village = rows.villages.find((v) => v.id === villageId);
  if (!village) throw new Error('no village in the register');
  const households = rows.households.filter((h) => h.data.villageId === villageId);

  // A rare given name, folded: matches a few households, and dropping its last letter matches more.
  const givenNames = new Set<string>();
  for (const h of households)
    for (const n of register.memberNames.get(h.id) ?? []) givenNames.add(n.split(' ').at(-1) ?? '');
  // Matched as the app matches: the household's own search text or its members' names.
  const members = new Map(
    households.map((h) => [h.id, foldForSearch((register.memberNames.get(h.id) ?? []).join(' '))]),
  );
  const matches = (q: string) => households.filter((h) => householdMatches(h, members, queryWords(q))).length;
  const candidates = [...givenNames]
    .map((g) => foldForSearch(g))
    .filter((q) => q.length >= 4)
    .map((q) => ({ query: q, expected: matches(q), prefix: q.slice(0, -1), prefixExpected: matches(q.slice(0, -1)) }))
    .filter((c) => c.expected >= 1 && c.prefixExpected !== c.expected)
    .sort(
      (a, b) =>
        Number(b.expected >= 2 && b.expected <= 8) - Number(a.expected >= 2 && a.expected <= 8) ||
        a.expected - b.expected ||
        a.query.localeCompare(b.query),
    );
  const search = candidates[0];
  if (!search) throw new Error('no search query fits the register');

  const forms = households
    .filter((h) => (register.memberNames.get(h.id)?.length ?? 0) >= 4)
    .slice(0, needed)
    .map((h) => ({ id: h.id, names: register.memberNames.get(h.id) ?? [] }));
  const assessed = new Set(
    rows.assessments.filter((a) => a.data.title === 'learning_citizen').map((a) => a.data.subjectId),
  );
  const householdIds = new Set(households.map((h) => h.id));
  const citizensToAssess = rows.citizens
    .filter(
      (c) =>
        householdIds.has(c.data.householdId) && c.data.birthYear <= register.options.year - 18 && !assessed.has(c.id),
    )
    .slice(0, needed)
    .map((c) => c.id);
  if (forms.length < needed || citizensToAssess.length < needed)
    throw new Error('register too small for the repetitions');
  return {
    villageId,
    villageName: village.data.name,
    villageHouseholds,
    totalHouseholds: rows.households.length,
    villageCount: rows.villages.length,
    search,
    forms,
    citizensToAssess,
  };
}

// ---------------------------------------------------------------------------------------------
// Measurements (each returns one Timing, taken inside the page)
// ---------------------------------------------------------------------------------------------

/** The home screen has finished loading: every village row shows its household count. */
export async function waitForHomeSettled(page: Page, scenario: Scenario, timeout: number) {
  await page.waitForFunction(
    ({ villages, total }) => {
      if (document.querySelector('h1')?.textContent !== 'Trang chủ') return false;
      const rows = document.querySelectorAll('table.counts tbody tr');
      if (rows.length !== villages) return false;
      let sum = 0;
      for (const row of rows) sum += Number(row.querySelector('td')?.textContent ?? 0);
      return sum === total;
    },
    { villages: scenario.villageCount, total: scenario.totalHouseholds },
    { timeout, polling: 'raf' },
  );
}

export async function goHome(page: Page, scenario: Scenario, timeout: number) {
  await page.evaluate(() => {
    window.location.hash = '#/';
  });
  await waitForHomeSettled(page, scenario, timeout);
}

/**
 * #/ → the household list: [first row painted, first Gia đình học tập badge (Đạt / Chưa đạt)
 * painted]. The list renders as soon as the households are read; the year's results come from a
 * separate query, and until then every row says "Chưa đánh giá".
 */
export function measureListFirstPaint(page: Page, scenario: Scenario, timeout: number): Promise<Timing[]> {
  return page.evaluate(
    ({ hash, timeoutMs }) => {
      const probe = window.benchProbe;
      if (!probe) throw new Error('bench probe missing');
      if (document.querySelector('.virtual-row')) throw new Error('a list row is already on screen');
      const t0 = performance.now();
      window.location.hash = hash;
      return Promise.all([
        probe.waitFor(t0, () => document.querySelector('.virtual-row') !== null, timeoutMs),
        probe.waitFor(
          t0,
          () => document.querySelector('.virtual-row .badge.pass, .virtual-row .badge.fail') !== null,
          timeoutMs,
        ),
      ]);
    },
    { hash: `#/thon/${scenario.villageId}`, timeoutMs: timeout },
  );
}

/** Untimed: types `value` into the search box and waits for its count. */
export async function setSearch(page: Page, value: string, statusText: string, timeout: number) {
  await page.evaluate(
    ({ value, statusText, timeoutMs }) => {
      const probe = window.benchProbe;
      if (!probe) throw new Error('bench probe missing');
      const input = document.getElementById('household-search');
      if (input instanceof HTMLInputElement && input.value === value && probe.hasStatus(statusText)) return;
      const t0 = performance.now();
      probe.setInputValue('household-search', value);
      return probe.waitFor(t0, () => probe.hasStatus(statusText), timeoutMs).then(() => undefined);
    },
    { value, statusText, timeoutMs: timeout },
  );
}

export function measureSearch(page: Page, value: string, statusText: string, timeout: number): Promise<Timing> {
  return page.evaluate(
    ({ value, statusText, timeoutMs }) => {
      const probe = window.benchProbe;
      if (!probe) throw new Error('bench probe missing');
      if (probe.hasStatus(statusText)) throw new Error(`the count already reads "${statusText}"`);
      const t0 = performance.now();
      probe.setInputValue('household-search', value);
      return probe.waitFor(t0, () => probe.hasStatus(statusText), timeoutMs);
    },
    { value, statusText, timeoutMs: timeout },
  );
}

export function measureHouseholdForm(
  page: Page,
  household: { id: string; names: string[] },
  timeout: number,
): Promise<Timing> {
  return page.evaluate(
    ({ hash, expected, timeoutMs }) => {
      const probe = window.benchProbe;
      if (!probe) throw new Error('bench probe missing');
      const expectedSorted = [...expected].sort().join('\n');
      const t0 = performance.now();
      window.location.hash = hash;
      return probe.waitFor(
        t0,
        () => {
          const inputs = document.querySelectorAll<HTMLInputElement>('input[id^="member-"][id$="-fullName"]');
          return (
            inputs.length === expected.length &&
            [...inputs]
              .map((i) => i.value)
              .sort()
              .join('\n') === expectedSorted
          );
        },
        timeoutMs,
      );
    },
    { hash: `#/ho/${household.id}/sua`, expected: household.names, timeoutMs: timeout },
  );
}

/** Untimed: opens the Công dân học tập screen of a citizen and types 10 scores. */
export async function prepareCitizenAssessment(page: Page, citizenId: string, year: number, timeout: number) {
  await page.evaluate((hash) => {
    window.location.hash = hash;
  }, `#/danh-gia/learning_citizen/${citizenId}/${year}`);
  await page.getByRole('heading', { level: 1, name: /^Công dân học tập/ }).waitFor({ timeout });
  const inputs = page.getByRole('textbox', { name: /Điểm$/ });
  await inputs.nth(9).waitFor({ timeout });
  const count = await inputs.count();
  if (count !== 10) throw new Error(`expected 10 points inputs, found ${count}`);
  for (let i = 0; i < count; i += 1) await inputs.nth(i).fill(String(7 + (i % 4)), { timeout });
}

export function measureSaveAssessment(page: Page, timeout: number): Promise<Timing> {
  return page.evaluate(
    ({ timeoutMs }) => {
      const probe = window.benchProbe;
      if (!probe) throw new Error('bench probe missing');
      const saved = 'Đã lưu đánh giá trên máy.';
      if (probe.hasStatus(saved)) throw new Error('already saved');
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Lưu đánh giá');
      if (!button) throw new Error('no "Lưu đánh giá" button');
      const t0 = performance.now();
      button.click();
      return probe.waitFor(t0, () => probe.hasStatus(saved), timeoutMs);
    },
    { timeoutMs: timeout },
  );
}
