import { SyncAbortedError } from './errors.js';

/** Sleeps `ms`, ending early (with SyncAbortedError) when `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal, what = 'the wait'): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new SyncAbortedError(what));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new SyncAbortedError(what));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
