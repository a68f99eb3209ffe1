import { ConfigError } from '@plumbline/client-core';
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
   * or in 'pause' mode waits pauseMs, calls `probe` (a cheap request that refreshes the reading)
   * and checks again.
   */
  async admit(probe: () => Promise<void>, signal?: AbortSignal | null): Promise<void> {
    if (!this.over()) return;
    const guard = this.guard as LimitGuardOptions;
    const usage = this.usage as ApiUsage;
    if (guard.action !== 'pause')
      throw new ApiLimitThresholdError(usage.used, usage.max, guard.threshold);
    while (this.over()) {
      await new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, guard.pauseMs ?? 60_000);
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      await probe();
    }
  }
}
