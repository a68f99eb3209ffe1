/**
 * Transient failures: the ones worth trying again (rate limits, 5xx, resets, timeouts). The
 * transport already retries requests that are safe to repeat; these helpers are for the writes
 * it may not repeat on its own (POSTs), where the program knows how to check before retrying.
 */
export function isTransient(error: unknown): boolean {
  const e = error as { code?: string; status?: number; cause?: unknown };
  // runBulk stopped part-way: transient when what stopped it was.
  if (e.code === 'COMMERCE_BULK_INCOMPLETE') return isTransient(e.cause);
  if (e.code === 'RATE_LIMITED' || e.code === 'NETWORK_ERROR' || e.code === 'TIMEOUT') return true;
  return e.code === 'HTTP_ERROR' && typeof e.status === 'number' && e.status >= 500;
}

/**
 * Calls `fn` until it succeeds, a non-transient error occurs, or `attempts` are used up. Before
 * every retry, `alreadyDone` (when given) is asked whether the earlier attempt took effect after
 * all (the answer was lost, not the write), in which case it stops.
 */
export async function retryTransient<T>(
  fn: () => Promise<T>,
  options: { attempts?: number; alreadyDone?: () => Promise<T | undefined> } = {},
): Promise<T> {
  const attempts = options.attempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      if (attempt > 1 && options.alreadyDone) {
        const done = await options.alreadyDone();
        if (done !== undefined) return done;
      }
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
    }
  }
}
