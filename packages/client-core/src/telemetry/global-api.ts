import { createRequire } from 'node:module';
import type { TelemetryMeter, TelemetryOptions, TelemetryTracer } from './signals.js';

/** What is read of `@opentelemetry/api` (an optional peer dependency). */
interface OpenTelemetryApi {
  trace: {
    getTracer(name: string, version?: string): TelemetryTracer;
    getTracerProvider(): { getDelegate?(): unknown };
  };
  metrics: { getMeter(name: string, version?: string): TelemetryMeter };
  createNoopMeter(): unknown;
  ProxyTracerProvider: new () => { getDelegate(): unknown };
}

const SPECIFIER = '@opentelemetry/api';
let loaded: OpenTelemetryApi | null | undefined;

/** Node's "not found" for this very package (not for something it imports in turn). */
function isMissing(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    message.includes(SPECIFIER)
  );
}

/** `@opentelemetry/api` when installed (loaded once), else undefined. */
export function openTelemetryApi(): OpenTelemetryApi | undefined {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)(SPECIFIER) as OpenTelemetryApi;
    } catch (error) {
      if (!isMissing(error)) throw error;
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/**
 * The global tracer and meter of `@opentelemetry/api`, each only when an SDK registered a
 * provider: without one both are no-ops, and leaving them out costs nothing per request.
 */
export function globalTelemetry(scope: string): TelemetryOptions {
  const api = openTelemetryApi();
  if (api === undefined) return {};
  const found: TelemetryOptions = {};
  const noopTraces = new api.ProxyTracerProvider().getDelegate();
  if (api.trace.getTracerProvider().getDelegate?.() !== noopTraces) {
    found.tracer = api.trace.getTracer(scope);
  }
  const meter = api.metrics.getMeter(scope);
  if (meter !== api.createNoopMeter()) found.meter = meter;
  return found;
}
