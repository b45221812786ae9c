import { describe, expect, it } from 'vitest';
import { runBurstScenarios } from '../../bench/burst/burst';
import type { ScenarioRow } from '../../bench/compare/table';

/**
 * A correctness check, not a benchmark: a deadline no busy machine needs (80 s cut the PostgreSQL
 * run short on a loaded CI machine), and no assertion on any time or rate.
 */
const SMOKE_LIMIT_MS = 300_000;

function valuesOf(rows: readonly ScenarioRow[], scenario: string, id: string): number[] {
  return rows.filter((r) => r.scenario === scenario && r.id === id).flatMap((r) => r.ours?.samples ?? []);
}

describe('the sync-day burst benchmark (scenarios 3 and 4)', () => {
  it(
    'runs end to end in smoke mode, with and without dropped connections, and loses and doubles nothing',
    { timeout: SMOKE_LIMIT_MS + 60_000 },
    async () => {
      const lines: string[] = [];
      const rows = await runBurstScenarios({
        smoke: true,
        deadlineMs: Date.now() + SMOKE_LIMIT_MS,
        log: (line) => lines.push(line),
      });
      const context = lines.join('\n');

      const stores = new Set(rows.filter((r) => r.scenario === '3-burst').map((r) => r.oursName));
      expect(stores.has('PGlite'), context).toBe(true);
      if (process.env.TEST_DATABASE_URL) expect(stores.has('PostgreSQL 15'), context).toBe(true);

      // Every acknowledged record is on the server exactly once, clean and through the fault proxy.
      for (const [scenario, id] of [
        ['3-burst', 'burst-missing'],
        ['3-burst', 'burst-duplicates'],
        ['4-faults', 'faults-lost'],
        ['4-faults', 'faults-duplicated'],
      ] as const) {
        const values = valuesOf(rows, scenario, id);
        expect(values.length, `${scenario}/${id}\n${context}`).toBeGreaterThan(0);
        expect(
          values.every((v) => v === 0),
          `${scenario}/${id}: ${values.join(', ')}\n${context}`,
        ).toBe(true);
      }
      // The devices really did the work: all ops acknowledged, nothing failed, latencies measured.
      expect(
        valuesOf(rows, '3-burst', 'burst-errors').every((v) => v === 0),
        context,
      ).toBe(true);
      expect(
        valuesOf(rows, '4-faults', 'faults-errors').every((v) => v === 0),
        context,
      ).toBe(true);
      // Measured at all (not how fast): a run that did no work would report 0.
      expect(
        valuesOf(rows, '3-burst', 'burst-throughput').every((v) => v > 0),
        context,
      ).toBe(true);
      expect(
        valuesOf(rows, '3-burst', 'burst-push-p99').every((v) => v > 0),
        context,
      ).toBe(true);
      expect(rows.find((r) => r.id === 'burst-throughput')?.note, context).toMatch(/200\/200/);
      expect(
        valuesOf(rows, '3-burst', 'burst-server-rss').every((v) => v > 10),
        context,
      ).toBe(true);
    },
  );
});
