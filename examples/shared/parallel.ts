/** Runs `fn` over `items` with at most `limit` calls in flight; rejects with the first error. */
export async function forEachLimit<T>(
  items: Iterable<T>,
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const lanes = Array.from({ length: Math.max(1, limit) }, async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) await fn(next.value);
  });
  await Promise.all(lanes);
}
