// The decisions of tests/run-tests.mjs that a test can check without running the whole suite.
// Plain Node, no dependencies (the runner imports it before `npm ci`).

/** CI=true (or 1/yes): the run must prove everything, so nothing it needs may be silently missing. */
export function isCiEnv(env) {
  return /^(1|true|yes)$/i.test(env.CI ?? '');
}

/**
 * A throwaway PostgreSQL cluster, or `{ skipped }` when there can be none. Missing binaries are
 * installed (Debian's `postgresql`) when running as root, like Chromium. Still missing: under CI
 * this throws (the server tests would prove PGlite only, and the run would look green); elsewhere
 * the reason is returned and the runner says plainly that PostgreSQL was skipped.
 */
export async function ensurePostgres({ start, install, isRoot, isCi, say }) {
  let cluster = await start();
  if ('skipped' in cluster && isRoot) {
    try {
      install();
      cluster = await start();
    } catch (error) {
      if (isCi) throw error;
      say(`⚠ could not install PostgreSQL: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if ('skipped' in cluster && isCi) {
    throw new Error(
      `PostgreSQL is required under CI and is missing (${cluster.skipped}). Install it: apt-get install -y postgresql`,
    );
  }
  return cluster;
}

/**
 * Counts from vitest's JSON report. A file that failed to load is a failure even when it declared
 * no test; a run vitest failed with no failing test (an unhandled error) counts as one failure.
 * Skipped: tests skipped (`.skip`, `skipIf`, filtered) plus todos.
 */
export function countVitestReport(report, isVitestOk) {
  const unloaded = report.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.length === 0,
  ).length;
  let failed = report.numFailedTests + unloaded;
  const unexplained = !isVitestOk && failed === 0;
  if (unexplained) failed += 1;
  return {
    passed: report.numPassedTests,
    failed,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    unexplained,
  };
}

/** The runner's last line, the one CI reads. */
export function closingLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}
