import { createRequire } from 'node:module';

/** Attribute values as OpenTelemetry takes them. */
export type Attributes = Record<string, string | number | boolean>;

export interface Counter {
  add(value: number, attributes?: Attributes): void;
}

export interface Observation {
  observe(value: number, attributes?: Attributes): void;
}

/** An OpenTelemetry `Meter` (`@opentelemetry/api`), as far as sync-core uses it. */
export interface Meter {
  createCounter(name: string, options?: { description?: string; unit?: string }): Counter;
  createUpDownCounter(name: string, options?: { description?: string; unit?: string }): Counter;
  createObservableGauge(
    name: string,
    options?: { description?: string; unit?: string },
  ): { addCallback(callback: (result: Observation) => void | Promise<void>): void };
}

const SPECIFIER = '@opentelemetry/api';

/** Node's "not found" for this very package (not for something it imports in turn). */
function isMissing(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    message.includes(SPECIFIER)
  );
}

/**
 * The global meter of `@opentelemetry/api` (an optional peer dependency), or undefined when the
 * package is not installed or no SDK registered a meter provider: then nothing is recorded and
 * recording costs one check.
 */
export function globalMeter(scope: string): Meter | undefined {
  let api: { metrics: { getMeter(name: string): Meter }; createNoopMeter(): unknown };
  try {
    api = createRequire(import.meta.url)(SPECIFIER);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  const meter = api.metrics.getMeter(scope);
  return meter === api.createNoopMeter() ? undefined : meter;
}
