import { AbortedError, ConfigError, sleep } from '@plumbline/client-core';
import { ApiLimitThresholdError } from './errors.js';

/** The org's daily API usage as last reported by `Sforce-Limit-Info: api-usage=used/max`. */
export interface ApiUsage {
  used: number;
  max: number;
  remaining: number;
  /** used / max, 0..1. */
  fraction: number;
  /** When the header was read (epoch ms). */
  observedAt: number;
}

export interface LimitGuardOptions {
  /** Fraction of the daily limit (0 < t <= 1) at which new work pauses or is rejected. */
  threshold: number;
  /** 'reject' (default) throws ApiLimitThresholdError; 'pause' waits and re-checks /limits. */
  action?: 'reject' | 'pause';
  /** Pause between re-checks in 'pause' mode. Default 60 000 ms. */
  pauseMs?: number;
  /** Called on every new usage reading. */
  onUsage?: (usage: ApiUsage) => void;
}

/** The org-wide `api-usage`, not the `per-app-api-usage=17/250(appName=…)` that may follow it. */
const HEADER = /(?:^|[;,\s])api-usage=(\d+)\/(\d+)/i;

/** Parses `api-usage=10018/100000`; undefined when absent or malformed. */
export function parseLimitInfo(
  header: string | null | undefined,
  now = Date.now(),
): ApiUsage | undefined {
  if (!header) return undefined;
  const match = HEADER.exec(header);
  if (!match) return undefined;
  const used = Number(match[1]);
  const max = Number(match[2]);
  if (!(max > 0)) return undefined;
  return { used, max, remaining: Math.max(0, max - used), fraction: used / max, observedAt: now };
}

/** Tracks api-usage from response headers and gates new work against a threshold. */
export class ApiUsageTracker {
  private usage: ApiUsage | undefined;
  private pause: Pause | undefined;

  constructor(private readonly guard?: LimitGuardOptions) {
    if (guard) {
      const t = guard.threshold;
      if (typeof t !== 'number' || !(t > 0 && t <= 1)) {
        throw new ConfigError(
          'limits.threshold',
          `expected a fraction between 0 (exclusive) and 1, got ${String(t)}`,
        );
      }
      if (guard.action !== undefined && guard.action !== 'reject' && guard.action !== 'pause') {
        throw new ConfigError(
          'limits.action',
          `expected 'reject' or 'pause', got ${JSON.stringify(guard.action)}`,
        );
      }
      if (guard.pauseMs !== undefined && !(guard.pauseMs > 0)) {
        throw new ConfigError(
          'limits.pauseMs',
          `expected a positive number of milliseconds, got ${String(guard.pauseMs)}`,
        );
      }
    }
  }

  observe(response: Response): void {
    const usage = parseLimitInfo(response.headers.get('sforce-limit-info'));
    if (!usage) return;
    this.usage = usage;
    this.guard?.onUsage?.(usage);
  }

  current(): ApiUsage | undefined {
    return this.usage;
  }

  private over(): boolean {
    return Boolean(this.guard && this.usage && this.usage.fraction >= this.guard.threshold);
  }

  /**
   * Before new work: passes when under the threshold (or nothing is known yet); otherwise rejects,
   * or in 'pause' mode waits for the shared pause (pauseMs, then one `probe` that refreshes the
   * reading) and checks again. However many callers are paused, each pause sends one probe.
   */
  async admit(
    probe: (signal: AbortSignal) => Promise<void>,
    signal?: AbortSignal | null,
  ): Promise<void> {
    if (!this.over()) return;
    const guard = this.guard as LimitGuardOptions;
    const usage = this.usage as ApiUsage;
    if (guard.action !== 'pause')
      throw new ApiLimitThresholdError(usage.used, usage.max, guard.threshold);
    while (this.over()) {
      const pause = this.sharedPause(probe, guard.pauseMs ?? 60_000);
      pause.waiters++;
      try {
        await settledOrAborted(pause.done, signal ?? undefined);
      } finally {
        pause.waiters--;
        // the last caller left before the pause ended: nobody needs its probe
        if (pause.waiters === 0 && this.pause === pause) pause.stop.abort();
      }
    }
  }

  /** The pause in progress, or a new one: one sleep and one probe, whoever waits for it. */
  private sharedPause(probe: (signal: AbortSignal) => Promise<void>, pauseMs: number): Pause {
    if (this.pause) return this.pause;
    const stop = new AbortController();
    const pause: Pause = { stop, waiters: 0, done: Promise.resolve() };
    pause.done = (async () => {
      try {
        await sleep(pauseMs, stop.signal);
        await probe(stop.signal);
      } finally {
        if (this.pause === pause) this.pause = undefined;
      }
    })();
    // a pause everybody left ends in an AbortedError that nobody awaits
    pause.done.catch(() => undefined);
    this.pause = pause;
    return pause;
  }
}

interface Pause {
  done: Promise<void>;
  stop: AbortController;
  waiters: number;
}

/** Waits for `done`; a caller whose signal aborts stops waiting at once (AbortedError). */
function settledOrAborted(done: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return done;
  const aborted = () =>
    new AbortedError({
      method: 'pause',
      url: '',
      cause: signal.reason,
      message:
        "The wait for the org's API usage to drop below limits.threshold was aborted by the caller's signal; nothing was sent.",
    });
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    done.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
