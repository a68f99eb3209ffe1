// The deterministic source table of the runner crash test, shared by the test and its worker.

export interface SourceRow {
  id: number;
  updatedAt: number;
}

export const EPOCH = Date.parse('2026-03-01T00:00:00Z');

/** The checkpoint name the worker's runner commits under. */
export const SYNC_NAME = 'rows';

/** Row i of the source table: ids ascend with time, `rowsPerTimestamp` rows per second. */
export function sourceRows(count: number, rowsPerTimestamp: number): SourceRow[] {
  return Array.from({ length: count }, (_, id) => ({
    id,
    updatedAt: EPOCH + Math.floor(id / rowsPerTimestamp) * 1_000,
  }));
}
