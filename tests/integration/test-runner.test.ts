import { describe, expect, it } from 'vitest';
import { closingLine, countVitestReport, ensurePostgres, isCiEnv, type VitestReport } from '../support/run-summary.mjs';

const CLUSTER = {
  url: 'postgres://postgres@127.0.0.1:1/postgres',
  version: 'postgres (PostgreSQL) 15',
  stop: () => undefined,
};
const MISSING = { skipped: 'no PostgreSQL binaries (initdb, pg_ctl) found on this machine' };

/** A machine whose PostgreSQL appears once `install` has run (if `installs`), and what was done. */
function machine(options: { installs: boolean }) {
  const log: string[] = [];
  let installed = false;
  return {
    log,
    start: async () => (installed ? CLUSTER : MISSING),
    install: () => {
      log.push('apt-get install postgresql');
      installed = options.installs;
    },
    say: (line: string) => log.push(line),
  };
}

describe('npm test and PostgreSQL (tests/run-tests.mjs)', () => {
  it('fails the run under CI=true when PostgreSQL is missing and cannot be installed (not root)', async () => {
    const m = machine({ installs: true });
    await expect(ensurePostgres({ ...m, isRoot: false, isCi: true })).rejects.toThrow(
      /required under CI.*apt-get install -y postgresql/,
    );
    expect(m.log).toEqual([]);
  });

  it('installs PostgreSQL as root when it is missing, then runs the tests on it', async () => {
    const m = machine({ installs: true });
    expect(await ensurePostgres({ ...m, isRoot: true, isCi: true })).toBe(CLUSTER);
    expect(m.log).toEqual(['apt-get install postgresql']);
  });

  it('fails the run under CI=true when PostgreSQL is still missing after installing it', async () => {
    const m = machine({ installs: false });
    await expect(ensurePostgres({ ...m, isRoot: true, isCi: true })).rejects.toThrow(/required under CI/);
  });

  it('fails the run under CI=true when apt-get itself fails', async () => {
    const m = machine({ installs: true });
    const install = () => {
      throw new Error('apt-get update -qq failed (exit 100)');
    };
    await expect(ensurePostgres({ ...m, install, isRoot: true, isCi: true })).rejects.toThrow(/apt-get update/);
  });

  it('outside CI runs the server tests on PGlite only and says so, rather than failing', async () => {
    const m = machine({ installs: false });
    expect(await ensurePostgres({ ...m, isRoot: false, isCi: false })).toEqual(MISSING);
  });

  it.each([
    { env: { CI: 'true' }, ci: true },
    { env: { CI: '1' }, ci: true },
    { env: { CI: 'false' }, ci: false },
    { env: {}, ci: false },
  ])('reads CI=$env.CI as a CI run: $ci', ({ env, ci }) => {
    expect(isCiEnv(env)).toBe(ci);
  });
});

describe('the closing line of npm test', () => {
  const report = (counts: Partial<VitestReport>): VitestReport => ({
    numPassedTests: 0,
    numFailedTests: 0,
    testResults: [],
    ...counts,
  });

  it('counts skipped and todo tests: "N passed, N failed, N skipped"', () => {
    const counts = countVitestReport(
      report({ numPassedTests: 40, numFailedTests: 1, numPendingTests: 3, numTodoTests: 2 }),
      false,
    );
    expect(closingLine(counts)).toBe('40 passed, 1 failed, 5 skipped');
  });

  it('counts a file that failed to load as a failure', () => {
    const counts = countVitestReport(
      report({
        numPassedTests: 5,
        testResults: [
          { status: 'failed', assertionResults: [] },
          { status: 'passed', assertionResults: [{}] },
        ],
      }),
      false,
    );
    expect(closingLine(counts)).toBe('5 passed, 1 failed, 0 skipped');
  });

  it('counts a run vitest failed with no failing test (an unhandled error) as one failure', () => {
    expect(countVitestReport(report({ numPassedTests: 5 }), false)).toMatchObject({ failed: 1, unexplained: true });
    expect(countVitestReport(report({ numPassedTests: 5 }), true)).toMatchObject({ failed: 0, unexplained: false });
  });
});
