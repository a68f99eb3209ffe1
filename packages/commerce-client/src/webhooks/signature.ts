import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { PlumblineError } from '@plumbline/client-core';
import { CommerceInputError } from '../errors.js';

/** Header carrying the Adobe Commerce webhook signature (RSA-SHA256 of the raw body, base64). */
export const COMMERCE_WEBHOOK_SIGNATURE_HEADER = 'x-adobe-commerce-webhook-signature';
/** Adobe I/O Events digital signature headers (two key pairs, so Adobe can rotate keys). */
export const IO_EVENTS_SIGNATURE_HEADERS = [
  'x-adobe-digital-signature-1',
  'x-adobe-digital-signature-2',
] as const;

/** A webhook or event whose signature did not verify. */
export class WebhookSignatureError extends PlumblineError {
  readonly reason: 'missing-signature' | 'bad-signature' | 'wrong-recipient' | 'bad-payload';

  constructor(reason: WebhookSignatureError['reason'], message: string) {
    super('COMMERCE_WEBHOOK_SIGNATURE', message);
    this.reason = reason;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason };
  }
}

export type RawBody = string | Uint8Array;
export type PublicKeyInput = string | KeyObject;

function toKey(key: PublicKeyInput, field: string): KeyObject {
  if (typeof key === 'object' && key !== null && 'asymmetricKeyType' in key) return key;
  if (typeof key !== 'string' || !key.includes('-----BEGIN')) {
    throw new CommerceInputError(
      field,
      'expected a PEM public key ("-----BEGIN PUBLIC KEY-----…") or a KeyObject',
    );
  }
  try {
    return createPublicKey(key);
  } catch (error) {
    throw new CommerceInputError(field, 'the PEM could not be read as a public key', {
      cause: error,
    });
  }
}

function bytes(body: RawBody, field: string): Uint8Array {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return body;
  throw new CommerceInputError(
    field,
    'pass the raw request body (string or bytes) exactly as received, not parsed JSON',
  );
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** RSA-SHA256 verification of `body` against a base64 signature; false for any malformed input. */
function verifyRsaSha256(
  body: Uint8Array,
  signature: string | null | undefined,
  key: KeyObject,
): boolean {
  if (typeof signature !== 'string') return false;
  const trimmed = signature.trim();
  if (trimmed === '' || !BASE64.test(trimmed)) return false;
  try {
    return verify('sha256', body, key, Buffer.from(trimmed, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Verify an Adobe Commerce webhook: `x-adobe-commerce-webhook-signature` is the base64 RSA-SHA256
 * signature of the raw body made with the private key generated in the Admin (Stores >
 * Configuration > Adobe Services > Webhooks). Verify before parsing; a changed byte fails.
 */
export function verifyCommerceWebhookSignature(options: {
  body: RawBody;
  signature: string | null | undefined;
  publicKey: PublicKeyInput;
}): boolean {
  return verifyRsaSha256(
    bytes(options.body, 'body'),
    options.signature,
    toKey(options.publicKey, 'publicKey'),
  );
}

/** Read, verify and parse an Adobe Commerce webhook request; throws WebhookSignatureError. */
export async function readCommerceWebhook<T = unknown>(
  request: Request,
  options: { publicKey: PublicKeyInput },
): Promise<T> {
  const key = toKey(options.publicKey, 'publicKey');
  const signature = request.headers.get(COMMERCE_WEBHOOK_SIGNATURE_HEADER);
  if (!signature) {
    throw new WebhookSignatureError(
      'missing-signature',
      `The webhook has no ${COMMERCE_WEBHOOK_SIGNATURE_HEADER} header; enable signing in the Admin or check the proxy.`,
    );
  }
  const body = new Uint8Array(await request.arrayBuffer());
  if (!verifyRsaSha256(body, signature, key)) {
    throw new WebhookSignatureError(
      'bad-signature',
      'The webhook signature does not match the body; the request was rejected.',
    );
  }
  try {
    return JSON.parse(Buffer.from(body).toString('utf8')) as T;
  } catch {
    throw new WebhookSignatureError('bad-payload', 'The signed webhook body is not JSON.');
  }
}

/**
 * Verify an Adobe I/O Events delivery: either `x-adobe-digital-signature-1` or `-2` must be a
 * valid RSA-SHA256 signature of the raw body under the matching public key. Fetch the keys
 * yourself (from the `x-adobe-public-key1-path` / `-2-path` headers, cached) and pass them in.
 */
export function verifyIoEventSignature(options: {
  body: RawBody;
  headers: Headers | Record<string, string | undefined>;
  /** `[key1, key2]` matching signature 1 and 2. */
  publicKeys: readonly [PublicKeyInput, PublicKeyInput?];
}): boolean {
  const body = bytes(options.body, 'body');
  const get = (name: string) =>
    options.headers instanceof Headers
      ? options.headers.get(name)
      : (Object.entries(options.headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? null);
  if (
    !Array.isArray(options.publicKeys) ||
    (options.publicKeys as readonly unknown[]).length === 0
  ) {
    throw new CommerceInputError(
      'publicKeys',
      'pass [publicKey1, publicKey2] for the two Adobe I/O signatures',
    );
  }
  const results = IO_EVENTS_SIGNATURE_HEADERS.map((header, index) => {
    const key = options.publicKeys[index];
    if (key === undefined) return false;
    return verifyRsaSha256(body, get(header), toKey(key, `publicKeys[${index}]`));
  });
  // Evaluate both before deciding, so timing does not tell which one matched.
  return results.some(Boolean);
}

/** Read, verify and parse an Adobe I/O Events request; optionally check `recipient_client_id`. */
export async function readIoEvent<T = Record<string, unknown>>(
  request: Request,
  options: { publicKeys: readonly [PublicKeyInput, PublicKeyInput?]; clientId?: string },
): Promise<T> {
  const body = new Uint8Array(await request.arrayBuffer());
  if (!IO_EVENTS_SIGNATURE_HEADERS.some((h) => request.headers.get(h))) {
    throw new WebhookSignatureError(
      'missing-signature',
      'The event has no x-adobe-digital-signature-1/-2 header.',
    );
  }
  if (!verifyIoEventSignature({ body, headers: request.headers, publicKeys: options.publicKeys })) {
    throw new WebhookSignatureError(
      'bad-signature',
      'No Adobe I/O digital signature matches the body; the event was rejected.',
    );
  }
  let payload: T;
  try {
    payload = JSON.parse(Buffer.from(body).toString('utf8')) as T;
  } catch {
    throw new WebhookSignatureError('bad-payload', 'The signed event body is not JSON.');
  }
  if (options.clientId !== undefined) {
    const recipient = (payload as { recipient_client_id?: unknown }).recipient_client_id;
    if (recipient !== options.clientId) {
      throw new WebhookSignatureError(
        'wrong-recipient',
        'The event is addressed to another client id (recipient_client_id).',
      );
    }
  }
  return payload;
}
