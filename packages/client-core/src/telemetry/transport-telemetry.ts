import { PlumblineError } from '../errors.js';
import { globalTelemetry } from './global-api.js';
import { ATTR, EVENT, METRIC, SCOPE } from './names.js';
import { operationOf } from './operation.js';
import {
  SPAN_KIND_CLIENT,
  SPAN_STATUS_ERROR,
  type TelemetryAttributes,
  type TelemetryCounter,
  type TelemetryHistogram,
  type TelemetryMeter,
  type TelemetryOptions,
  type TelemetrySpan,
} from './signals.js';

/** A vendor's API usage as it reports it (Salesforce: `Sforce-Limit-Info: api-usage=used/max`). */
export interface ApiUsageReading {
  used: number;
  max: number;
}

/** Seconds buckets for request and wait durations: 5 ms to 60 s. */
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The transport's instruments on one meter. */
class Instruments {
  readonly requests: TelemetryCounter;
  readonly duration: TelemetryHistogram;
  readonly retries: TelemetryCounter;
  readonly rateLimited: TelemetryCounter;
  readonly limiterWait: TelemetryHistogram;
  readonly inFlight: TelemetryCounter;
  readonly refreshes: TelemetryCounter;
  /** The latest API usage reading per vendor, observed by the two gauges. */
  readonly usage = new Map<string, ApiUsageReading>();

  constructor(meter: TelemetryMeter) {
    this.requests = meter.createCounter(METRIC.requests, {
      description:
        'Calls through the transport, by final outcome (retries inside a call count once).',
      unit: '{call}',
    });
    this.duration = meter.createHistogram(METRIC.duration, {
      description: 'Duration of a call through the transport, retries and waits included.',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS },
    });
    this.retries = meter.createCounter(METRIC.retries, {
      description: 'Attempts sent again after a retryable failure.',
      unit: '{retry}',
    });
    this.rateLimited = meter.createCounter(METRIC.rateLimited, {
      description: 'Answers the vendor marked as a rate limit (429, or its own equivalent).',
      unit: '{response}',
    });
    this.limiterWait = meter.createHistogram(METRIC.limiterWait, {
      description: 'Time an attempt waited for a limiter slot.',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS },
    });
    this.inFlight = meter.createUpDownCounter(METRIC.limiterInFlight, {
      description: 'Limiter slots held by this process.',
      unit: '{slot}',
    });
    this.refreshes = meter.createCounter(METRIC.tokenRefreshes, {
      description: 'Access tokens fetched again after the vendor refused one (401).',
      unit: '{refresh}',
    });
    const used = meter.createObservableGauge(METRIC.apiUsage, {
      description: 'API calls used of the vendor allowance, as the vendor last reported it.',
      unit: '{call}',
    });
    const max = meter.createObservableGauge(METRIC.apiLimit, {
      description: 'The vendor allowance of API calls, as the vendor last reported it.',
      unit: '{call}',
    });
    used.addCallback((result) => {
      for (const [vendor, reading] of this.usage)
        result.observe(reading.used, { [ATTR.vendor]: vendor });
    });
    max.addCallback((result) => {
      for (const [vendor, reading] of this.usage)
        result.observe(reading.max, { [ATTR.vendor]: vendor });
    });
  }
}

/** One set of instruments per meter, shared by every transport recording to it. */
const byMeter = new WeakMap<TelemetryMeter, Instruments>();

function instrumentsOf(meter: TelemetryMeter): Instruments {
  let found = byMeter.get(meter);
  if (found === undefined) {
    found = new Instruments(meter);
    byMeter.set(meter, found);
  }
  return found;
}

/** What a transport records to: resolved at its first request, then kept. */
export class TransportTelemetry {
  #resolved = false;
  #tracer: TelemetryOptions['tracer'];
  #instruments: Instruments | undefined;

  constructor(
    private readonly option: TelemetryOptions | false | undefined,
    readonly vendor: string,
    private readonly apiUsage: ((response: Response) => ApiUsageReading | undefined) | undefined,
  ) {}

  /** The recorder of one call, or undefined when nothing is recorded. */
  start(method: string, url: string, redact: (text: string) => string): CallTelemetry | undefined {
    if (!this.#resolved) this.#resolve();
    if (this.#tracer === undefined && this.#instruments === undefined) return undefined;
    return new CallTelemetry(this, this.#tracer, this.#instruments, method, url, redact);
  }

  /** Reads the vendor's usage header of an answer, when the vendor reports one. */
  observeUsage(instruments: Instruments, response: Response): void {
    const reading = this.apiUsage?.(response);
    if (reading !== undefined) instruments.usage.set(this.vendor, reading);
  }

  #resolve(): void {
    this.#resolved = true;
    if (this.option === false) return;
    const providers = this.option ?? globalTelemetry(SCOPE);
    this.#tracer = providers.tracer;
    this.#instruments = providers.meter === undefined ? undefined : instrumentsOf(providers.meter);
  }
}

/** The error.type of a failed call: the HTTP status, else the error's code. */
function errorType(error: unknown): string {
  if (error instanceof PlumblineError) {
    const status = (error as { status?: unknown }).status;
    return typeof status === 'number' ? String(status) : error.code;
  }
  return error instanceof Error ? error.name : 'Error';
}

/** Records one call: its span (attempts and retries as events) and its metrics. */
export class CallTelemetry {
  private readonly span: TelemetrySpan | undefined;
  private readonly attributes: TelemetryAttributes;
  private readonly startedAt = performance.now();

  constructor(
    private readonly owner: TransportTelemetry,
    tracer: TelemetryOptions['tracer'],
    private readonly instruments: Instruments | undefined,
    method: string,
    url: string,
    redact: (text: string) => string,
  ) {
    const parsed = new URL(url);
    const operation = redact(operationOf(parsed.pathname));
    this.attributes = {
      [ATTR.vendor]: owner.vendor,
      [ATTR.operation]: operation,
      [ATTR.method]: method,
    };
    this.span = tracer?.startSpan(`${method} ${operation}`, {
      kind: SPAN_KIND_CLIENT,
      attributes: {
        ...this.attributes,
        [ATTR.urlTemplate]: operation,
        [ATTR.serverAddress]: parsed.hostname,
      },
    });
  }

  /** An attempt is sent. */
  attempt(number: number): void {
    this.span?.addEvent(EVENT.attempt, { [ATTR.attempt]: number });
  }

  /** An attempt's answer arrived (any status). */
  answered(response: Response): void {
    if (this.instruments) this.owner.observeUsage(this.instruments, response);
  }

  rateLimited(status: number): void {
    this.span?.addEvent(EVENT.rateLimited, { [ATTR.status]: status });
    this.instruments?.rateLimited.add(1, { ...this.attributes, [ATTR.status]: status });
  }

  retry(nextAttempt: number, delayMs: number, reason: string): void {
    this.span?.addEvent(EVENT.retry, {
      [ATTR.attempt]: nextAttempt,
      [ATTR.retryDelay]: delayMs,
      [ATTR.retryReason]: reason,
    });
    this.instruments?.retries.add(1, { ...this.attributes, [ATTR.retryReason]: reason });
  }

  tokenRefresh(): void {
    this.instruments?.refreshes.add(1, {
      [ATTR.vendor]: this.owner.vendor,
      [ATTR.refreshReason]: 'unauthorized',
    });
  }

  /** Time spent waiting for a limiter slot (in ms), and the slot now held. */
  slotAcquired(waitedMs: number, limitKey: string): void {
    if (!this.instruments) return;
    const attributes = { [ATTR.vendor]: this.owner.vendor, [ATTR.limitKey]: limitKey };
    this.instruments.limiterWait.record(waitedMs / 1000, attributes);
    this.instruments.inFlight.add(1, attributes);
  }

  slotReleased(limitKey: string): void {
    this.instruments?.inFlight.add(-1, {
      [ATTR.vendor]: this.owner.vendor,
      [ATTR.limitKey]: limitKey,
    });
  }

  /** The call ended with an answer (status) or an error. */
  end(response: Response | undefined, error: unknown): void {
    const attributes: TelemetryAttributes = { ...this.attributes };
    if (response !== undefined) attributes[ATTR.status] = response.status;
    const status = (error as { status?: unknown } | undefined)?.status;
    if (response === undefined && typeof status === 'number') attributes[ATTR.status] = status;
    const failed = error !== undefined || (response !== undefined && response.status >= 400);
    if (failed)
      attributes[ATTR.errorType] =
        error === undefined ? String(response?.status) : errorType(error);
    this.instruments?.requests.add(1, attributes);
    this.instruments?.duration.record((performance.now() - this.startedAt) / 1000, attributes);
    const span = this.span;
    if (span === undefined) return;
    const statusCode = attributes[ATTR.status];
    if (statusCode !== undefined) span.setAttribute(ATTR.status, statusCode);
    if (failed) {
      span.setAttribute(ATTR.errorType, attributes[ATTR.errorType] as string);
      span.setStatus({
        code: SPAN_STATUS_ERROR,
        ...(error instanceof PlumblineError ? { message: error.code } : {}),
      });
    }
    span.end();
  }
}
