import { sleep } from '../wait.js';
import type { Lease, LimiterBackend } from './backend.js';

interface Waiter {
  maxConcurrent: number;
  leaseMs: number;
  grant(lease: Lease): void;
}

interface KeyState {
  held: Map<number, ReturnType<typeof setTimeout>>;
  waiters: Waiter[];
  window: number[];
}

/**
 * In-process limiter state: FIFO waiters per key, leases that expire after leaseMs, and a sliding
 * window log for requests-per-interval. Share one backend (through one limiter) between clients.
 */
export function memoryLimiterBackend(): LimiterBackend {
  const states = new Map<string, KeyState>();
  let nextId = 0;

  const stateOf = (key: string): KeyState => {
    let state = states.get(key);
    if (!state) {
      state = { held: new Map(), waiters: [], window: [] };
      states.set(key, state);
    }
    return state;
  };

  const cleanup = (key: string, state: KeyState) => {
    if (state.held.size === 0 && state.waiters.length === 0 && state.window.length === 0) {
      states.delete(key);
    }
  };

  const pump = (key: string, state: KeyState) => {
    while (state.waiters.length > 0) {
      const next = state.waiters[0]!;
      if (state.held.size >= next.maxConcurrent) break;
      state.waiters.shift();
      next.grant(grant(key, state, next.leaseMs));
    }
    cleanup(key, state);
  };

  const grant = (key: string, state: KeyState, leaseMs: number): Lease => {
    const id = ++nextId;
    const expiry = setTimeout(() => {
      if (state.held.delete(id)) pump(key, state);
    }, leaseMs);
    expiry.unref?.();
    state.held.set(id, expiry);
    return {
      async release() {
        const timer = state.held.get(id);
        if (timer === undefined) return;
        clearTimeout(timer);
        state.held.delete(id);
        pump(key, state);
      },
    };
  };

  return {
    acquire(key, { maxConcurrent, leaseMs, signal }) {
      const state = stateOf(key);
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (state.waiters.length === 0 && state.held.size < maxConcurrent) {
        return Promise.resolve(grant(key, state, leaseMs));
      }
      return new Promise<Lease>((resolve, reject) => {
        const onAbort = () => {
          const index = state.waiters.indexOf(waiter);
          if (index !== -1) state.waiters.splice(index, 1);
          cleanup(key, state);
          reject(signal?.reason);
        };
        const waiter: Waiter = {
          maxConcurrent,
          leaseMs,
          grant(lease) {
            signal?.removeEventListener('abort', onAbort);
            resolve(lease);
          },
        };
        state.waiters.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },

    async take(key, { limit, intervalMs, signal }) {
      const state = stateOf(key);
      for (;;) {
        signal?.throwIfAborted();
        const now = Date.now();
        while (state.window.length > 0 && state.window[0]! <= now - intervalMs)
          state.window.shift();
        if (state.window.length < limit) {
          state.window.push(now);
          const expiry = setTimeout(() => {
            const s = states.get(key);
            if (!s) return;
            const t = Date.now();
            while (s.window.length > 0 && s.window[0]! <= t - intervalMs) s.window.shift();
            cleanup(key, s);
          }, intervalMs + 1);
          expiry.unref?.();
          return;
        }
        await sleep(Math.max(1, state.window[0]! + intervalMs - now), signal);
      }
    },
  };
}
