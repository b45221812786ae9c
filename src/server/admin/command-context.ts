/** What every admin command gets besides its store and arguments. */
export interface CommandContext {
  /** The clock (the server's own when run over the admin channel). */
  readonly now: () => Date;
  /** Aborted on Ctrl-C: long commands stop between two batches and report what they did. */
  readonly signal?: AbortSignal | undefined;
}
