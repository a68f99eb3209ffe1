/**
 * Runs a queue's workers until nothing is left to do (no job ready, delayed or running), then
 * stops them. The programs use it to process a batch end to end; a long-running service would
 * call `queue.work` and keep going instead.
 */
import type { JobHandler, Queue, WorkOptions } from '@plumbline/sync-core';

export async function drainQueue<P>(
  queue: Queue<P>,
  handler: JobHandler<P>,
  options: Omit<WorkOptions, 'signal'> & { settleMs?: number } = {},
): Promise<void> {
  const stop = new AbortController();
  let running = 0;
  const worker = queue.work(
    async (job, context) => {
      running++;
      try {
        await handler(job, context);
      } finally {
        running--;
      }
    },
    { pollMs: 10, ...options, signal: stop.signal },
  );
  const settleMs = options.settleMs ?? 20;
  try {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      const stats = await queue.stats();
      if (stats.ready === 0 && stats.delayed === 0 && (stats.running ?? 0) === 0 && running === 0) {
        break;
      }
    }
  } finally {
    stop.abort();
    await worker;
  }
}
