/** Stable snake_case codes: scripts branch on them (`--json` prints `{ error: { code, message } }`). */
export type AdminErrorCode =
  | 'invalid_arguments'
  | 'unknown_commune'
  | 'not_found'
  | 'ambiguous'
  | 'commune_mismatch'
  | 'invalid_file'
  | 'invalid_signature';

/**
 * A refusal of an admin command, with a Vietnamese message for the person at the terminal.
 * It carries no personal data: it may travel from the server to the CLI over the admin channel.
 */
export class AdminError extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}
