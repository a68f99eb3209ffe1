/** Marker header meaning "safe to repeat"; the transport strips it before sending. */
export const IDEMPOTENT_HEADER = 'x-plumbline-idempotent';

/** Methods that are safe to repeat by definition (RFC 9110 section 9.2.2). */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

/** Headers (copied from `headers`) that mark the request as safe to retry. */
export function markIdempotent(headers?: ConstructorParameters<typeof Headers>[0]): Headers {
  const out = new Headers(headers);
  out.set(IDEMPOTENT_HEADER, '1');
  return out;
}

/**
 * Whether a request may be sent again: an idempotent method, an `Idempotency-Key` header, one of
 * `idempotencyHeaders`, or the markIdempotent() marker.
 */
export function isRetrySafe(
  method: string,
  headers: Headers,
  idempotencyHeaders: readonly string[] = [],
): boolean {
  if (IDEMPOTENT_METHODS.has(method.toUpperCase())) return true;
  if (headers.has(IDEMPOTENT_HEADER) || headers.has('idempotency-key')) return true;
  return idempotencyHeaders.some((name) => headers.has(name));
}
