/** Types of run-summary.mjs (plain Node so tests/run-tests.mjs can use it before npm ci). */
import type { PostgresCluster } from './postgres-cluster.mjs';

export interface RunCounts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export interface VitestReport {
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numPendingTests?: number;
  readonly numTodoTests?: number;
  readonly testResults: readonly { readonly status: string; readonly assertionResults: readonly unknown[] }[];
}

export function isCiEnv(env: Readonly<Record<string, string | undefined>>): boolean;

export function ensurePostgres(options: {
  readonly start: () => Promise<PostgresCluster | { readonly skipped: string }>;
  readonly install: () => void;
  readonly isRoot: boolean;
  readonly isCi: boolean;
  readonly say: (line: string) => void;
}): Promise<PostgresCluster | { readonly skipped: string }>;

export function countVitestReport(
  report: VitestReport,
  isVitestOk: boolean,
): RunCounts & { readonly unexplained: boolean };

export function closingLine(counts: RunCounts): string;
