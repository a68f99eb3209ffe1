/** Median of a non-empty list of numbers (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median() needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid]!;
  return (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Ratio a/b, or undefined when b is zero (nothing meaningful to divide by). */
export function ratio(a: number, b: number): number | undefined {
  return b === 0 ? undefined : a / b;
}
