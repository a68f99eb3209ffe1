/** Peak memory of the current process, sampled while a piece of work runs. */
export interface MemoryPeak {
  /** Peak resident set size in bytes (process.resourceUsage().maxRSS, since process start). */
  maxRssBytes: number;
  /** Resident set size just before the work started. */
  rssBeforeBytes: number;
  /** Highest sampled V8 heapUsed during the work (live objects and not-yet-collected garbage). */
  peakHeapUsedBytes: number;
  /** heapUsed just before the work started. */
  heapUsedBeforeBytes: number;
  /**
   * Highest heapUsed measured right after a forced full GC during the work: what the work
   * really kept alive. Only when the process runs with --expose-gc.
   */
  peakLiveHeapBytes?: number;
  /** heapUsed after a forced full GC before the work started (with --expose-gc). */
  liveHeapBeforeBytes?: number;
}

export interface SamplingOptions {
  /** How often heapUsed is sampled. Default 5 ms. */
  intervalMs?: number;
  /** How often a full GC is forced to read the live heap (needs --expose-gc). Default 1000 ms. */
  gcEveryMs?: number;
}

/**
 * Run `work` while sampling process.memoryUsage(). The sampler runs on the event loop, so it sees
 * the heap between awaits — which is where a streaming reader holds its batch and an
 * accumulating reader holds everything. With --expose-gc it also forces a full GC every
 * `gcEveryMs` and records the live heap, so garbage awaiting collection does not count.
 */
export async function withMemorySampling<T>(
  work: () => Promise<T>,
  options: SamplingOptions = {},
): Promise<{ value: T; memory: MemoryPeak }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  let liveBefore: number | undefined;
  if (gc) {
    gc();
    liveBefore = process.memoryUsage().heapUsed;
  }
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakLive = liveBefore;
  const sample = () => {
    const { heapUsed } = process.memoryUsage();
    if (heapUsed > peakHeap) peakHeap = heapUsed;
  };
  const sampleLive = () => {
    if (!gc) return;
    gc();
    const { heapUsed } = process.memoryUsage();
    if (peakLive === undefined || heapUsed > peakLive) peakLive = heapUsed;
  };
  const timer = setInterval(sample, options.intervalMs ?? 5);
  const gcTimer = gc ? setInterval(sampleLive, options.gcEveryMs ?? 1000) : undefined;
  try {
    const value = await work();
    sample();
    const memory: MemoryPeak = {
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      rssBeforeBytes: before.rss,
      peakHeapUsedBytes: peakHeap,
      heapUsedBeforeBytes: before.heapUsed,
    };
    if (peakLive !== undefined && liveBefore !== undefined) {
      memory.peakLiveHeapBytes = peakLive;
      memory.liveHeapBeforeBytes = liveBefore;
    }
    return { value, memory };
  } finally {
    clearInterval(timer);
    if (gcTimer) clearInterval(gcTimer);
  }
}

/** Live heap growth when measured (after forced GCs), else the sampled heapUsed growth. */
export function liveHeapGrowth(memory: MemoryPeak): number {
  if (memory.peakLiveHeapBytes !== undefined && memory.liveHeapBeforeBytes !== undefined) {
    return Math.max(0, memory.peakLiveHeapBytes - memory.liveHeapBeforeBytes);
  }
  return Math.max(0, memory.peakHeapUsedBytes - memory.heapUsedBeforeBytes);
}

export function mb(bytes: number): number {
  return bytes / (1024 * 1024);
}
