import { CommerceInputError } from '../errors.js';

/** One operation of an Adobe Commerce webhook reply. */
export type WebhookOperation =
  | { op: 'success' }
  | { op: 'exception'; message?: string; class?: string }
  | { op: 'add'; path: string; value: unknown; instance?: string }
  | { op: 'replace'; path: string; value: unknown; instance?: string }
  | { op: 'remove'; path: string };

function checkPath(path: string): string {
  if (
    typeof path !== 'string' ||
    path.trim() === '' ||
    path.startsWith('/') ||
    path.includes('//')
  ) {
    throw new CommerceInputError(
      'path',
      `"${String(path)}" is not a webhook payload path such as "result/shipping_methods"`,
    );
  }
  return path;
}

/** Builders for the operations a webhook endpoint answers with (HTTP 200, JSON). */
export const webhookOperations = {
  /** Let the Commerce process go on unchanged. */
  success: (): WebhookOperation => ({ op: 'success' }),
  /** Stop the process; Commerce shows `message` (and throws `className`, default its LocalizedException). */
  exception: (message?: string, className?: string): WebhookOperation => ({
    op: 'exception',
    ...(message === undefined ? {} : { message }),
    ...(className === undefined ? {} : { class: className }),
  }),
  /** Add `value` at `path` of the payload (e.g. a new shipping method under `result`). */
  add: (path: string, value: unknown, instance?: string): WebhookOperation => ({
    op: 'add',
    path: checkPath(path),
    value,
    ...(instance === undefined ? {} : { instance }),
  }),
  /** Replace the value at `path`. */
  replace: (path: string, value: unknown, instance?: string): WebhookOperation => ({
    op: 'replace',
    path: checkPath(path),
    value,
    ...(instance === undefined ? {} : { instance }),
  }),
  /** Remove the value at `path`. */
  remove: (path: string): WebhookOperation => ({ op: 'remove', path: checkPath(path) }),
};

/** The HTTP response of a webhook endpoint: one operation, or a list of them. */
export function webhookResponse(operations: WebhookOperation | WebhookOperation[]): Response {
  const list = Array.isArray(operations) ? operations : [operations];
  if (list.length === 0)
    throw new CommerceInputError('operations', 'give at least one operation (e.g. success())');
  return new Response(JSON.stringify(operations), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
}
