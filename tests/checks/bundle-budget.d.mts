/** Types of the area lists in bundle-budget.mjs (plain Node, run by tests/run-tests.mjs). */
export declare const BUDGET_BYTES: number;
export declare const AREAS: readonly string[];
export declare const MUST_PRECACHE: readonly string[];
export declare const NEVER_PRECACHE: readonly string[];
