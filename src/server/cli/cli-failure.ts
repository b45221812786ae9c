/**
 * A failure the CLI reports as `{ error: { code, message } }` (--json) or as its message: from
 * the command (AdminError), from the running server's answer, or from the CLI itself.
 */
export class CliFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}
