/**
 * The governance lower bound: with per-request latency L, a concurrency cap C and a batch size B,
 * moving N records takes at least ⌈N/B⌉·L/C — every request costs L, at most C are in flight,
 * and none carries more than B records.
 */
export interface LimitInput {
  /** Records to move. */
  records: number;
  /** Records per request (the vendor's batch cap). */
  batchSize: number;
  /** Injected per-request latency in milliseconds. */
  latencyMs: number;
  /** Requests in flight at once (the vendor's or the account's cap). */
  concurrency: number;
}

export interface Limit extends LimitInput {
  requests: number;
  /** Lower bound in milliseconds. */
  boundMs: number;
}

export function lowerBound(input: LimitInput): Limit {
  for (const key of ['records', 'batchSize', 'latencyMs', 'concurrency'] as const) {
    const value = input[key];
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`limit ${key} must be a finite number >= 0, got ${value}`);
    }
  }
  if (input.batchSize === 0 || input.concurrency === 0) {
    throw new RangeError('limit batchSize and concurrency must be greater than 0');
  }
  const requests = Math.ceil(input.records / input.batchSize);
  return { ...input, requests, boundMs: (requests * input.latencyMs) / input.concurrency };
}

/** The achieved share of the limit: bound / achieved (1 = at the limit, 0.5 = twice as slow). */
export function achievedShare(limit: Limit, achievedMs: number): number | undefined {
  if (!(achievedMs > 0) || limit.boundMs === 0) return undefined;
  return limit.boundMs / achievedMs;
}

export function describeLimit(limit: Limit): string {
  return (
    `⌈${limit.records}/${limit.batchSize}⌉·${limit.latencyMs} ms/${limit.concurrency}` +
    ` = ${(limit.boundMs / 1000).toFixed(2)} s`
  );
}
