/**
 * A poor man's profile of PostgreSQL during a burst: samples pg_stat_activity every few ms and
 * counts which statements are active and what they wait for. No extension needed
 * (pg_stat_statements would need shared_preload_libraries on the throwaway cluster).
 */
import pg from 'pg';

const SAMPLE_EVERY_MS = 50;
const MAX_SAMPLES = 20_000;

export interface PgProfile {
  /** "statement head | wait" → samples, most frequent first. */
  readonly top: readonly (readonly [string, number])[];
  readonly samples: number;
}

export async function startPgSampler(databaseUrl: string): Promise<{ stop(): Promise<PgProfile> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running && samples < MAX_SAMPLES) {
      const { rows } = await client.query<{ query: string; wait: string | null }>(
        `SELECT query, wait_event_type || ':' || wait_event AS wait FROM pg_stat_activity
         WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
      );
      samples += 1;
      for (const row of rows) {
        // Head and WHERE clause: statements that start alike differ there.
        const text = row.query.replace(/\s+/g, ' ').trim();
        const where = text.indexOf(' WHERE ');
        const key = `${text.slice(0, 48)}…${where > 0 ? text.slice(where, where + 110) : ''} | ${row.wait ?? 'cpu'}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await client.end();
      return { top: [...counts].sort((a, b) => b[1] - a[1]).slice(0, 12), samples };
    },
  };
}
