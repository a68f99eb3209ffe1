/**
 * SQLite's own clock as epoch milliseconds, for use inside a statement: every expiry the SQLite
 * stores judge is judged by it, so callers whose clocks disagree still agree on what expired.
 * (`unixepoch('subsec')` needs SQLite 3.42; better-sqlite3 12 bundles a newer one.)
 */
export const SQLITE_NOW = `CAST(unixepoch('subsec') * 1000 AS INTEGER)`;
