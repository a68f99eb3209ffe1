/**
 * Runs the synchronous part of `call` (a memory store method does all its work before its first
 * await) while counting walks over any Map or Set and any array sort: a hot path needs none.
 */
export function walks<T>(call: () => T): { result: T; walks: number } {
  let count = 0;
  const restore: Array<() => void> = [];
  const methods = [
    [Map.prototype, ['values', 'keys', 'entries', 'forEach', Symbol.iterator]],
    [Set.prototype, ['values', 'keys', 'entries', 'forEach', Symbol.iterator]],
    [Array.prototype, ['sort']],
  ] as const;
  for (const [proto, names] of methods) {
    for (const name of names) {
      const target = proto as unknown as Record<PropertyKey, (...args: unknown[]) => unknown>;
      const original = target[name]!;
      target[name] = function (this: unknown, ...args: unknown[]) {
        count += 1;
        return original.apply(this, args);
      };
      restore.push(() => {
        target[name] = original;
      });
    }
  }
  try {
    return { result: call(), walks: count };
  } finally {
    for (const undo of restore) undo();
  }
}
