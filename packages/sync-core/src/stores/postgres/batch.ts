/**
 * Group-commit for small writes: the first call flushes at once; calls that arrive while a flush is
 * in flight wait and go together in the next one. Each caller still resolves only after its own row
 * is committed, so nothing is acknowledged early; busy workers just share round trips and commits.
 */
export function groupCommit<T, R>(
  flush: (items: T[]) => Promise<R[]>,
  maxBatch = 500,
): (item: T) => Promise<R> {
  type Pending = { item: T; resolve: (result: R) => void; reject: (error: unknown) => void };
  let queue: Pending[] = [];
  let flushing = false;

  const drain = async () => {
    flushing = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await flush(batch.map((entry) => entry.item));
        batch.forEach((entry, i) => {
          entry.resolve(results[i]!);
        });
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    flushing = false;
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!flushing) void drain();
    });
}
