import {
  CircuitOpenError,
  InvalidOptionError,
  ResolverLoadError,
  ResolverTimeoutError,
} from '../errors.js';
import { canonicalJson } from '../hash/content-hash.js';
import { syncTelemetry } from '../telemetry/sync-telemetry.js';
import {
  type BreakerState,
  CircuitBreaker,
  type CircuitBreakerOptions,
} from './circuit-breaker.js';

/** Time for the resolver: pass a fake clock in tests. */
export interface ResolverClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: ResolverClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface ResolverOptions<K, V> {
  /** Loads the value for a key; abort work when `signal` fires (the timeout). */
  load(key: K, signal: AbortSignal): Promise<V>;
  /** A load slower than this fails with `ResolverTimeoutError` (ms). */
  timeoutMs: number;
  /** How long a loaded value is served from the cache without loading (ms). */
  ttlMs: number;
  /** How long after `ttlMs` an expired value may still be served when a load fails (ms); default 0. */
  staleTtlMs?: number;
  /** The caller's last resort when the load fails and no stale value is left. */
  fallback?: (key: K, error: unknown) => V | Promise<V>;
  /** Consecutive failures that open the circuit, and how long it stays open. */
  breaker: CircuitBreakerOptions;
  /** The cache key of a key; default: its canonical JSON (strings as they are). */
  cacheKey?: (key: K) => string;
  /** The most cached keys (least recently used go first); default 10,000. */
  maxEntries?: number;
  clock?: ResolverClock;
  onBreakerStateChange?: (state: BreakerState) => void;
  /** The resolver's name on the breaker metric (`plumbline.breaker`); default 'resolver'. */
  name?: string;
}

/** Where a value came from. */
export type ResolvedSource = 'fresh' | 'cache' | 'stale' | 'fallback';

export interface Resolved<V> {
  value: V;
  source: ResolvedSource;
  /** Why a stale or fallback value was served. */
  error?: unknown;
}

export interface Resolver<K, V> {
  /** The value for `key`: cached, freshly loaded (one load for concurrent identical keys), stale or fallback. */
  get(key: K): Promise<Resolved<V>>;
  /** Drops the cached value of `key`. */
  invalidate(key: K): void;
  readonly breakerState: BreakerState;
}

interface Entry<V> {
  value: V;
  loadedAt: number;
}

function positive(name: string, value: number | undefined, allowZero = false): void {
  if (value === undefined) return;
  if (!(Number.isFinite(value) && (allowZero ? value >= 0 : value > 0))) {
    throw new InvalidOptionError(
      name,
      `must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${value}`,
    );
  }
}

/**
 * A per-key resolver for on-demand lookups such as live prices: timeout, TTL cache, single flight,
 * stale-on-error, a caller fallback and a circuit breaker. Every result says its source.
 */
export function createResolver<K, V>(options: ResolverOptions<K, V>): Resolver<K, V> {
  positive('timeoutMs', options.timeoutMs);
  positive('ttlMs', options.ttlMs);
  positive('staleTtlMs', options.staleTtlMs, true);
  const maxEntries = options.maxEntries ?? 10_000;
  if (!(Number.isInteger(maxEntries) && maxEntries > 0)) {
    throw new InvalidOptionError('maxEntries', `must be a positive integer, got ${maxEntries}`);
  }
  const clock = options.clock ?? systemClock;
  const staleTtlMs = options.staleTtlMs ?? 0;
  const cacheKey =
    options.cacheKey ?? ((key: K) => (typeof key === 'string' ? key : canonicalJson(key)));
  const breaker = new CircuitBreaker(
    options.breaker,
    () => clock.now(),
    options.onBreakerStateChange,
  );
  syncTelemetry()?.watchBreaker(options.name ?? 'resolver', breaker);
  const cache = new Map<string, Entry<V>>();
  const flights = new Map<string, Promise<Resolved<V>>>();

  const loadWithTimeout = (key: K, id: string): Promise<V> =>
    new Promise<V>((resolve, reject) => {
      const controller = new AbortController();
      const timer = clock.setTimeout(() => {
        const error = new ResolverTimeoutError(id, options.timeoutMs);
        controller.abort(error);
        reject(error);
      }, options.timeoutMs);
      let loading: Promise<V>;
      try {
        loading = Promise.resolve(options.load(key, controller.signal));
      } catch (error) {
        loading = Promise.reject(error);
      }
      loading.then(
        (value) => {
          clock.clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clock.clearTimeout(timer);
          reject(error);
        },
      );
    });

  const store = (id: string, value: V) => {
    cache.delete(id);
    cache.set(id, { value, loadedAt: clock.now() });
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
  };

  const resolveMiss = async (key: K, id: string): Promise<Resolved<V>> => {
    let error: unknown;
    if (breaker.tryAcquire()) {
      try {
        const value = await loadWithTimeout(key, id);
        breaker.success();
        store(id, value);
        return { value, source: 'fresh' };
      } catch (loadError) {
        breaker.failure();
        error = loadError;
      }
    } else {
      error = new CircuitOpenError(id, breaker.retryAt);
    }
    const entry = cache.get(id);
    if (entry !== undefined && clock.now() < entry.loadedAt + options.ttlMs + staleTtlMs) {
      return { value: entry.value, source: 'stale', error };
    }
    if (options.fallback)
      return { value: await options.fallback(key, error), source: 'fallback', error };
    if (error instanceof CircuitOpenError || error instanceof ResolverTimeoutError) throw error;
    throw new ResolverLoadError(id, error);
  };

  return {
    get(key) {
      const id = cacheKey(key);
      const entry = cache.get(id);
      if (entry !== undefined && clock.now() < entry.loadedAt + options.ttlMs) {
        cache.delete(id);
        cache.set(id, entry); // most recently used
        return Promise.resolve({ value: entry.value, source: 'cache' });
      }
      const inFlight = flights.get(id);
      if (inFlight !== undefined) return inFlight;
      const flight = resolveMiss(key, id).finally(() => flights.delete(id));
      flights.set(id, flight);
      return flight;
    },
    invalidate(key) {
      cache.delete(cacheKey(key));
    },
    get breakerState() {
      return breaker.state;
    },
  };
}
