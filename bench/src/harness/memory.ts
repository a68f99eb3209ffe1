/** Peak memory of the current process, sampled while a piece of work runs. */
export interface MemoryPeak {
  /** Peak resident set size in bytes (process.resourceUsage().maxRSS, since process start). */
  maxRssBytes: number;
  /** Resident set size just before the work started. */
  rssBeforeBytes: number;
  /** Highest sampled V8 heapUsed during the work. */
  peakHeapUsedBytes: number;
  /** heapUsed just before the work started. */
  heapUsedBeforeBytes: number;
}

/**
 * Run `work` while sampling process.memoryUsage() every `intervalMs`. The sampler runs on the
 * event loop, so it sees the heap between awaits — which is where a streaming reader holds its
 * batch and where an accumulating reader holds everything.
 */
export async function withMemorySampling<T>(
  work: () => Promise<T>,
  intervalMs = 5,
): Promise<{ value: T; memory: MemoryPeak }> {
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  const sample = () => {
    const { heapUsed } = process.memoryUsage();
    if (heapUsed > peakHeap) peakHeap = heapUsed;
  };
  const timer = setInterval(sample, intervalMs);
  try {
    const value = await work();
    sample();
    return {
      value,
      memory: {
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        rssBeforeBytes: before.rss,
        peakHeapUsedBytes: peakHeap,
        heapUsedBeforeBytes: before.heapUsed,
      },
    };
  } finally {
    clearInterval(timer);
  }
}

export function mb(bytes: number): number {
  return bytes / (1024 * 1024);
}
