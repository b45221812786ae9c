/** What every write needs from outside: the clock, id generation, and the device's commune. */
export interface WriteContext {
  readonly now: Date;
  readonly newId: () => string;
  readonly communeCode: string;
}

export interface ValidationIssue {
  /** Path in the form's terms, e.g. ["members", 2, "birthYear"]. */
  readonly path: readonly (string | number)[];
  /** A locale key, possibly with parameters (shared/schemas/messages.ts). */
  readonly message: string;
}

/** Bad input: nothing was stored. The issues say where and why, as locale keys. */
export class RecordValidationError extends Error {
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(`invalid record: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    this.name = 'RecordValidationError';
  }
}

/** Runs a zod safeParse and turns its issues into a RecordValidationError under `prefix`. */
export function parseOrThrow<T>(
  result:
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } },
  prefix: readonly (string | number)[] = [],
): T {
  if (result.success) return result.data;
  throw new RecordValidationError(
    result.error.issues.map((issue) => ({
      path: [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))],
      message: issue.message,
    })),
  );
}
