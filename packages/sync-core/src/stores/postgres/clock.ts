/**
 * PostgreSQL's clock as epoch milliseconds, for use inside a statement. `clock_timestamp()` (not
 * `now()`, which is the transaction's start) so a long transaction still judges expiry correctly.
 */
export const PG_NOW = `(extract(epoch from clock_timestamp()) * 1000)::bigint`;
