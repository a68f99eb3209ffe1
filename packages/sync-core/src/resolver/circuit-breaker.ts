import { InvalidOptionError } from '../errors.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call is let through (ms). */
  resetMs: number;
}

/**
 * A consecutive-failure circuit breaker. Closed: calls pass. Open: calls are refused until
 * `resetMs` passed. Half-open: one trial call passes; success closes, failure re-opens.
 */
export class CircuitBreaker {
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #trialInFlight = false;
  readonly #options: CircuitBreakerOptions;
  readonly #now: () => number;
  readonly #onStateChange: ((state: BreakerState) => void) | undefined;

  constructor(
    options: CircuitBreakerOptions,
    now: () => number,
    onStateChange?: (state: BreakerState) => void,
  ) {
    if (!(Number.isInteger(options.failureThreshold) && options.failureThreshold > 0)) {
      throw new InvalidOptionError(
        'breaker.failureThreshold',
        `must be a positive integer, got ${options.failureThreshold}`,
      );
    }
    if (!(Number.isFinite(options.resetMs) && options.resetMs > 0)) {
      throw new InvalidOptionError(
        'breaker.resetMs',
        `must be a positive number of ms, got ${options.resetMs}`,
      );
    }
    this.#options = options;
    this.#now = now;
    this.#onStateChange = onStateChange;
  }

  get state(): BreakerState {
    if (this.#state === 'open' && this.#now() >= this.retryAt) return 'half-open';
    return this.#state;
  }

  /** When an open circuit lets the next trial through (epoch ms). */
  get retryAt(): number {
    return this.#openedAt + this.#options.resetMs;
  }

  #set(state: BreakerState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#onStateChange?.(state);
  }

  /** Asks to make a call; false when the circuit refuses it. Call `success`/`failure` after. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.#trialInFlight) return false;
    this.#set('half-open');
    this.#trialInFlight = true;
    return true;
  }

  success(): void {
    this.#trialInFlight = false;
    this.#failures = 0;
    this.#set('closed');
  }

  failure(): void {
    this.#trialInFlight = false;
    this.#failures += 1;
    const trialFailed = this.#state === 'half-open';
    const tooMany = this.#state === 'closed' && this.#failures >= this.#options.failureThreshold;
    if (trialFailed || tooMany) {
      this.#openedAt = this.#now();
      this.#set('open');
    }
  }
}
