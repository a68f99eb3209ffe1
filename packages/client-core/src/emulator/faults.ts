import { ConfigError } from '../errors.js';
import { type Handler, jsonResponse } from './handler.js';
import { mulberry32 } from './prng.js';

export interface FaultOptions {
  /** PRNG seed; the same seed and request order replay the same faults. Default 1. */
  seed?: number;
  /** Added latency per request: fixed ms, or a uniform [min, max] range. */
  latencyMs?: number | [number, number];
  /** Share (0-1) of requests answered 429 with Retry-After. */
  rate429?: number;
  /** Retry-After seconds of injected 429s. Default 1. */
  retryAfterSeconds?: number;
  /** Share (0-1) of requests answered 500/502/503/504. */
  rate5xx?: number;
  /** Share (0-1) of requests whose connection is reset (Response.error()). */
  resetRate?: number;
  /** Stream response bodies at this many bytes per second, in 10 chunks a second. */
  slowBodyBytesPerSecond?: number;
  /** Only requests for which this returns true get faults. */
  match?: (request: Request) => boolean;
}

export interface FaultStats {
  requests: number;
  injected429: number;
  injected5xx: number;
  resets: number;
}

const SERVER_ERRORS = [500, 502, 503, 504] as const;

function share(option: string, value: number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || value > 1) {
    throw new ConfigError(option, `expected a share between 0 and 1, got ${String(value)}`);
  }
  return value;
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

async function slowBody(response: Response, bytesPerSecond: number): Promise<Response> {
  if (response.body === null) return response;
  const bytes = new Uint8Array(await response.arrayBuffer());
  const chunkSize = Math.max(1, Math.floor(bytesPerSecond / 10));
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      if (offset > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(stream, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/**
 * Wraps a handler with seeded faults: latency, 429 with Retry-After, 5xx, connection resets and
 * slow bodies. Each matched request draws from the PRNG in a fixed order, so a seed replays a run.
 */
export function withFaults(
  handler: Handler,
  options: FaultOptions,
): Handler & { stats: FaultStats } {
  const rate429 = share('rate429', options.rate429);
  const rate5xx = share('rate5xx', options.rate5xx);
  const resetRate = share('resetRate', options.resetRate);
  if (rate429 + rate5xx + resetRate > 1) {
    throw new ConfigError('rate429 + rate5xx + resetRate', 'the shares add up to more than 1');
  }
  const latency = options.latencyMs;
  if (
    latency !== undefined &&
    !(typeof latency === 'number' && latency >= 0) &&
    !(Array.isArray(latency) && latency.length === 2 && latency[0] >= 0 && latency[1] >= latency[0])
  ) {
    throw new ConfigError('latencyMs', 'expected ms >= 0 or a [min, max] range with min <= max');
  }
  const bps = options.slowBodyBytesPerSecond;
  if (bps !== undefined && !(typeof bps === 'number' && bps > 0)) {
    throw new ConfigError('slowBodyBytesPerSecond', `expected a number > 0, got ${String(bps)}`);
  }
  const retryAfterSeconds = options.retryAfterSeconds ?? 1;
  const random = mulberry32(options.seed ?? 1);
  const stats: FaultStats = { requests: 0, injected429: 0, injected5xx: 0, resets: 0 };

  const wrapped = async (request: Request): Promise<Response> => {
    if (options.match && !options.match(request)) return handler(request);
    stats.requests += 1;
    const latencyDraw = random();
    const faultDraw = random();
    const pickDraw = random();
    const ms =
      latency === undefined
        ? 0
        : typeof latency === 'number'
          ? latency
          : latency[0] + latencyDraw * (latency[1] - latency[0]);
    if (ms > 0) await delay(ms, request.signal);
    if (faultDraw < resetRate) {
      stats.resets += 1;
      return Response.error();
    }
    if (faultDraw < resetRate + rate429) {
      stats.injected429 += 1;
      return jsonResponse(
        { message: 'Too many requests (injected fault)' },
        { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } },
      );
    }
    if (faultDraw < resetRate + rate429 + rate5xx) {
      stats.injected5xx += 1;
      const status = SERVER_ERRORS[Math.floor(pickDraw * SERVER_ERRORS.length)] ?? 503;
      return jsonResponse({ message: `Injected server error ${status}` }, { status });
    }
    const response = await handler(request);
    return bps === undefined ? response : slowBody(response, bps);
  };
  return Object.assign(wrapped, { stats });
}
