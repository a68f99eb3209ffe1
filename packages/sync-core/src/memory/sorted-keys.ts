/** Keys per chunk before it splits in two: small enough that a splice is a short memmove. */
const CHUNK = 512;

/**
 * A UTF-16 code unit moved so that comparing moved units orders text as UTF-8 bytes (= code
 * points) do: surrogates (0xD800–0xDFFF, the halves of code points above 0xFFFF) go above every
 * other unit, and 0xE000–0xFFFF move down into the gap they leave. Lone surrogates keep a fixed
 * place, so the order stays total.
 */
function byteRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

/** Negative, zero or positive as `a` sorts before, with or after `b` by UTF-8 bytes. */
function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return byteRank(x) - byteRank(y);
  }
  return a.length - b.length;
}

/** First index in the sorted `keys` whose key is >= `key` (by UTF-8 bytes). */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareUtf8(keys[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A set of strings kept in ascending UTF-8 byte order (the order of the durable stores) as a list of sorted chunks, so insert,
 * delete and finding where a prefix starts cost O(log n + chunk) instead of a sort of every key.
 */
export class SortedKeys {
  private chunks: string[][] = [];
  /** Keys looked at by `withPrefix`: tests read it to check a listing does not walk every key. */
  visited = 0;

  /** The chunk that holds `key` or would: the first whose last key is >= `key`, else the last. */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid]!;
      if (compareUtf8(chunk[chunk.length - 1]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(key: string): void {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      return;
    }
    const at = this.chunkFor(key);
    const chunk = this.chunks[at]!;
    const i = lowerBound(chunk, key);
    if (chunk[i] === key) return;
    chunk.splice(i, 0, key);
    if (chunk.length > 2 * CHUNK) this.chunks.splice(at + 1, 0, chunk.splice(CHUNK));
  }

  delete(key: string): void {
    if (this.chunks.length === 0) return;
    const at = this.chunkFor(key);
    const chunk = this.chunks[at]!;
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return;
    chunk.splice(i, 1);
    if (chunk.length === 0) this.chunks.splice(at, 1);
  }

  clear(): void {
    this.chunks = [];
  }

  /**
   * Every key that starts with `prefix`, ascending, as a snapshot; with `after`, only the keys
   * greater than it (the walk starts there, so paging does not revisit earlier keys).
   */
  withPrefix(prefix: string, after?: string): string[] {
    const found: string[] = [];
    if (this.chunks.length === 0) return found;
    const from = after !== undefined && compareUtf8(after, prefix) >= 0 ? after : prefix;
    const start = this.chunkFor(from);
    for (let c = start; c < this.chunks.length; c += 1) {
      const chunk = this.chunks[c]!;
      for (let i = c === start ? lowerBound(chunk, from) : 0; i < chunk.length; i += 1) {
        this.visited += 1;
        const key = chunk[i]!;
        if (key === after) continue;
        if (!key.startsWith(prefix)) return found;
        found.push(key);
      }
    }
    return found;
  }
}
