/** The base of every error sync-core throws: `code` says what kind, the message what to do. */
export class SyncError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
