import * as pRetryModule from 'p-retry';

type PRetry = typeof pRetryModule.default;

/**
 * p-retry 7 is ESM-only. The CommonJS build inlines it (tsup.config.ts), and the bundler's interop
 * may wrap its namespace once more; unwrap until the function appears.
 */
function resolvePRetry(): PRetry {
  let candidate: unknown = pRetryModule;
  for (let depth = 0; depth < 3; depth++) {
    if (typeof candidate === 'function') return candidate as PRetry;
    candidate = (candidate as { default?: unknown } | undefined)?.default;
  }
  throw new Error('p-retry could not be loaded: its default export is not a function');
}

export const pRetry: PRetry = resolvePRetry();
