import type { PlumblineError } from './errors.js';

export type TransportEvent =
  | { type: 'request'; method: string; path: string; attempt: number }
  | {
      type: 'response';
      method: string;
      path: string;
      status: number;
      attempt: number;
      durationMs: number;
    }
  | {
      type: 'retry';
      method: string;
      path: string;
      attempt: number;
      delayMs: number;
      reason: string;
      status?: number;
    }
  | { type: 'rate-limited'; method: string; path: string; status: number; retryAfterMs?: number }
  | { type: 'error'; method: string; path: string; error: PlumblineError };

/** pino-compatible: each method takes a merge object and an optional message. */
export interface LoggerLike {
  debug?(o: object, m?: string): void;
  info?(o: object, m?: string): void;
  warn?(o: object, m?: string): void;
  error?(o: object, m?: string): void;
}

const LEVEL: Record<TransportEvent['type'], keyof LoggerLike> = {
  request: 'debug',
  response: 'debug',
  retry: 'warn',
  'rate-limited': 'warn',
  error: 'error',
};

/** The log line of an event: a flat object (errors as their redacted toJSON) and a short message. */
export function eventLogRecord(event: TransportEvent): {
  level: keyof LoggerLike;
  obj: object;
  msg: string;
} {
  const { type, ...rest } = event;
  const level = LEVEL[type];
  if (event.type === 'error') {
    return {
      level,
      obj: { event: type, method: event.method, path: event.path, err: event.error.toJSON() },
      msg: `${event.method} ${event.path} failed: ${event.error.code}`,
    };
  }
  const status = 'status' in event ? ` ${event.status}` : '';
  return {
    level,
    obj: { event: type, ...rest },
    msg: `${type} ${event.method} ${event.path}${status}`,
  };
}

/** Fans an event out to the listener and the logger; a throwing listener never breaks a request. */
export function createEventSink(
  onEvent: ((event: TransportEvent) => void) | undefined,
  logger: LoggerLike | undefined,
): (event: TransportEvent) => void {
  return (event) => {
    try {
      onEvent?.(event);
    } catch {
      // observers must not change the outcome of a request
    }
    if (logger) {
      const { level, obj, msg } = eventLogRecord(event);
      try {
        logger[level]?.(obj, msg);
      } catch {
        // same as above
      }
    }
  };
}
