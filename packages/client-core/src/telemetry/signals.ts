/**
 * The parts of the OpenTelemetry API (`@opentelemetry/api`) that Plumbline records through, as
 * structural types: an OpenTelemetry `Tracer` and `Meter` fit them, and neither the package nor its
 * declaration files need `@opentelemetry/api` installed.
 */

/** Attribute values as OpenTelemetry takes them. */
export type TelemetryAttributes = Record<string, string | number | boolean>;

/** An OpenTelemetry `Span`, as far as Plumbline uses it. */
export interface TelemetrySpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  addEvent(name: string, attributes?: TelemetryAttributes): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

/** An OpenTelemetry `Tracer`, as far as Plumbline uses it. */
export interface TelemetryTracer {
  startSpan(
    name: string,
    options?: { kind?: number; attributes?: TelemetryAttributes },
  ): TelemetrySpan;
}

/** An OpenTelemetry `Counter` or `UpDownCounter`. */
export interface TelemetryCounter {
  add(value: number, attributes?: TelemetryAttributes): void;
}

/** An OpenTelemetry `Histogram`. */
export interface TelemetryHistogram {
  record(value: number, attributes?: TelemetryAttributes): void;
}

/** What an observable instrument's callback is handed. */
export interface TelemetryObservation {
  observe(value: number, attributes?: TelemetryAttributes): void;
}

/** An OpenTelemetry observable instrument. */
export interface TelemetryObservable {
  addCallback(callback: (result: TelemetryObservation) => void | Promise<void>): void;
}

/** Options of an instrument. */
export interface InstrumentOptions {
  description?: string;
  unit?: string;
  advice?: { explicitBucketBoundaries?: number[] };
}

/** An OpenTelemetry `Meter`, as far as Plumbline uses it. */
export interface TelemetryMeter {
  createCounter(name: string, options?: InstrumentOptions): TelemetryCounter;
  createUpDownCounter(name: string, options?: InstrumentOptions): TelemetryCounter;
  createHistogram(name: string, options?: InstrumentOptions): TelemetryHistogram;
  createObservableGauge(name: string, options?: InstrumentOptions): TelemetryObservable;
}

/**
 * Where a transport records its spans and metrics. Without this option the transport uses the
 * global tracer and meter of `@opentelemetry/api` when that optional peer is installed and an SDK
 * is registered (read at the transport's first request); otherwise it records nothing.
 */
export interface TelemetryOptions {
  /** e.g. `trace.getTracer('my-service')`; absent: no spans. */
  tracer?: TelemetryTracer;
  /** e.g. `metrics.getMeter('my-service')`; absent: no metrics. */
  meter?: TelemetryMeter;
}

/** `SpanKind.CLIENT` and `SpanStatusCode.ERROR` of `@opentelemetry/api`. */
export const SPAN_KIND_CLIENT = 2;
export const SPAN_STATUS_ERROR = 2;
