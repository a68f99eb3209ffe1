import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CommerceInputError } from '../errors.js';
import { webhookOperations, webhookResponse } from './responses.js';
import {
  readCommerceWebhook,
  readIoEvent,
  verifyCommerceWebhookSignature,
  verifyIoEventSignature,
  WebhookSignatureError,
} from './signature.js';

const pair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const commerceKeys = pair();
const ioKey1 = pair();
const ioKey2 = pair();
const signWith = (privateKey: string, body: string) =>
  sign('sha256', Buffer.from(body), privateKey).toString('base64');

const body = JSON.stringify({
  eventName: 'observer.catalog_product_save_after',
  data: { product: { sku: 'ü-1', price: 10 } },
});

describe('Adobe Commerce webhook signatures', () => {
  it('accepts the signed raw body and rejects any change', () => {
    const signature = signWith(commerceKeys.privateKey, body);
    expect(
      verifyCommerceWebhookSignature({ body, signature, publicKey: commerceKeys.publicKey }),
    ).toBe(true);
    expect(
      verifyCommerceWebhookSignature({
        body: Buffer.from(body),
        signature,
        publicKey: commerceKeys.publicKey,
      }),
    ).toBe(true);
    expect(
      verifyCommerceWebhookSignature({
        body: body.replace('10', '11'),
        signature,
        publicKey: commerceKeys.publicKey,
      }),
    ).toBe(false);
    expect(
      verifyCommerceWebhookSignature({
        body: `${body} `,
        signature,
        publicKey: commerceKeys.publicKey,
      }),
    ).toBe(false);
    expect(
      verifyCommerceWebhookSignature({
        body,
        signature: `${signature.slice(0, -4)}AAA=`,
        publicKey: commerceKeys.publicKey,
      }),
    ).toBe(false);
    expect(
      verifyCommerceWebhookSignature({
        body,
        signature: 'not base64 !',
        publicKey: commerceKeys.publicKey,
      }),
    ).toBe(false);
    expect(
      verifyCommerceWebhookSignature({ body, signature: null, publicKey: commerceKeys.publicKey }),
    ).toBe(false);
    expect(verifyCommerceWebhookSignature({ body, signature, publicKey: ioKey1.publicKey })).toBe(
      false,
    );
  });

  it('reads a verified request and throws typed errors otherwise', async () => {
    const request = (headers: Record<string, string>, text = body) =>
      new Request('https://hooks.example.test/webhook', { method: 'POST', headers, body: text });
    const signature = signWith(commerceKeys.privateKey, body);
    const payload = await readCommerceWebhook<{ data: { product: { sku: string } } }>(
      request({ 'x-adobe-commerce-webhook-signature': signature }),
      { publicKey: commerceKeys.publicKey },
    );
    expect(payload.data.product.sku).toBe('ü-1');
    const tampered = await readCommerceWebhook(
      request({ 'x-adobe-commerce-webhook-signature': signature }, body.replace('ü', 'u')),
      {
        publicKey: commerceKeys.publicKey,
      },
    ).catch((e: unknown) => e);
    expect(tampered).toBeInstanceOf(WebhookSignatureError);
    expect((tampered as WebhookSignatureError).reason).toBe('bad-signature');
    const unsigned = await readCommerceWebhook(request({}), {
      publicKey: commerceKeys.publicKey,
    }).catch((e: unknown) => e);
    expect((unsigned as WebhookSignatureError).reason).toBe('missing-signature');
    expect(() =>
      verifyCommerceWebhookSignature({ body, signature, publicKey: 'not a pem' }),
    ).toThrow(CommerceInputError);
    expect(() =>
      verifyCommerceWebhookSignature({
        body: JSON.parse(body),
        signature,
        publicKey: commerceKeys.publicKey,
      }),
    ).toThrow(/raw request body/);
  });
});

describe('Adobe I/O Events digital signatures', () => {
  const event = JSON.stringify({
    event_id: 'e-1',
    recipient_client_id: 'client-123',
    data: { value: { sku: 'A' } },
  });

  it('accepts either signature (key rotation) and rejects tampered payloads', () => {
    const headers = {
      'x-adobe-digital-signature-1': signWith(ioKey1.privateKey, event),
      'x-adobe-digital-signature-2': signWith(ioKey2.privateKey, event),
    };
    const keys = [ioKey1.publicKey, ioKey2.publicKey] as const;
    expect(verifyIoEventSignature({ body: event, headers, publicKeys: keys })).toBe(true);
    expect(
      verifyIoEventSignature({
        body: event,
        headers: { ...headers, 'x-adobe-digital-signature-1': 'AAAA' },
        publicKeys: keys,
      }),
    ).toBe(true);
    expect(
      verifyIoEventSignature({ body: event.replace('"A"', '"B"'), headers, publicKeys: keys }),
    ).toBe(false);
    expect(verifyIoEventSignature({ body: event, headers: {}, publicKeys: keys })).toBe(false);
    expect(
      verifyIoEventSignature({ body: event, headers, publicKeys: [commerceKeys.publicKey] }),
    ).toBe(false);
  });

  it('reads a verified event and checks recipient_client_id', async () => {
    const make = () =>
      new Request('https://hooks.example.test/io', {
        method: 'POST',
        headers: { 'x-adobe-digital-signature-2': signWith(ioKey2.privateKey, event) },
        body: event,
      });
    const payload = await readIoEvent(make(), {
      publicKeys: [ioKey1.publicKey, ioKey2.publicKey],
      clientId: 'client-123',
    });
    expect(payload.event_id).toBe('e-1');
    const wrong = await readIoEvent(make(), {
      publicKeys: [ioKey1.publicKey, ioKey2.publicKey],
      clientId: 'other',
    }).catch((e: unknown) => e);
    expect((wrong as WebhookSignatureError).reason).toBe('wrong-recipient');
  });
});

describe('webhook response operations', () => {
  it('builds success, exception, add, replace and remove replies', async () => {
    const single = webhookResponse(
      webhookOperations.exception(
        'Out of stock',
        'Magento\\Framework\\Exception\\LocalizedException',
      ),
    );
    expect(single.status).toBe(200);
    expect(await single.json()).toEqual({
      op: 'exception',
      message: 'Out of stock',
      class: 'Magento\\Framework\\Exception\\LocalizedException',
    });
    const list = webhookResponse([
      webhookOperations.add('result', {
        carrier_code: 'plumbline',
        method_code: 'express',
        amount: 9,
      }),
      webhookOperations.replace('result/0/amount', 5),
      webhookOperations.remove('result/1'),
    ]);
    expect(await list.json()).toEqual([
      {
        op: 'add',
        path: 'result',
        value: { carrier_code: 'plumbline', method_code: 'express', amount: 9 },
      },
      { op: 'replace', path: 'result/0/amount', value: 5 },
      { op: 'remove', path: 'result/1' },
    ]);
    expect(await webhookResponse(webhookOperations.success()).json()).toEqual({ op: 'success' });
    expect(() => webhookOperations.replace('/result', 1)).toThrow(CommerceInputError);
    expect(() => webhookResponse([])).toThrow(CommerceInputError);
  });
});
