/**
 * A binary min-heap. The memory stores keep snapshot entries in it and skip entries whose row
 * has moved on when they reach the top (lazy deletion), so every operation stays O(log n).
 */
export class MinHeap<T> {
  private items: T[] = [];
  /** Comparisons made so far: tests read it to check that work grows with log n, not with n. */
  comparisons = 0;

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      this.down(0);
    }
    return top;
  }

  /** Drops the entries `keep` refuses and rebuilds the heap in O(n). */
  retain(keep: (item: T) => boolean): void {
    this.items = this.items.filter(keep);
    for (let i = (this.items.length >> 1) - 1; i >= 0; i -= 1) this.down(i);
  }

  private down(start: number) {
    const items = this.items;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && this.less(l, m)) m = l;
      if (r < items.length && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private less(a: number, b: number) {
    this.comparisons += 1;
    return this.before(this.items[a]!, this.items[b]!);
  }

  private swap(a: number, b: number) {
    const items = this.items;
    const x = items[a]!;
    items[a] = items[b]!;
    items[b] = x;
  }
}
