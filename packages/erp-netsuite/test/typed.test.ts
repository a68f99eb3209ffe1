import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createNetSuiteClient,
  createRecord,
  getRecord,
  suiteql,
  suiteqlPage,
} from '../src/index.js';
import { createNetSuiteEmulator } from '../src/testing.js';

describe('the typed openapi-fetch surface', () => {
  it('types paths, parameters and bodies from the spec', async () => {
    const emulator = createNetSuiteEmulator({ accountId: '5550001' });
    emulator.state.insert('customer', [{ companyName: 'Acme', email: 'a@acme.test' }]);
    const client = createNetSuiteClient({
      accountId: '5550001',
      auth: { authorize: async (r) => r, secrets: () => [] },
      baseUrl: 'https://emulator.test',
      fetch: emulator.fetch,
    });
    const { data } = await client.GET('/record/v1/customer/{id}', {
      params: { path: { id: '1' }, query: { fields: 'companyName' } },
    });
    expectTypeOf(data!.companyName).toEqualTypeOf<string | undefined>();
    expect(data).toMatchObject({ id: '1', companyName: 'Acme' });

    const page = await client.POST('/query/v1/suiteql', {
      params: { header: { Prefer: 'transient' }, query: { limit: 10, offset: 0 } },
      body: { q: suiteql`SELECT id, email FROM customer WHERE companyname = ${'Acme'}`.q },
    });
    // hasMore is optional: shortened answers carry only links, items and totalResults.
    expectTypeOf(page.data!.hasMore).toEqualTypeOf<boolean | undefined>();
    expect(page.data?.items).toEqual([{ links: [], id: '1', email: 'a@acme.test' }]);

    const created = await client.PUT('/record/v1/customer/eid:{externalId}', {
      params: { path: { externalId: 'EXT-9' } },
      body: { companyName: 'Upserted' },
    });
    expect(created.response.status).toBe(204);
    expect(emulator.state.getByExternalId('customer', 'EXT-9')?.companyName).toBe('Upserted');
  });
});

describe('secrets', () => {
  it('never reach log lines, events or errors, with either auth mode', async () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privateKey = String(keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const tba = {
      consumerKey: 'ck-log',
      consumerSecret: 'SECRET-consumer-9f8e7d',
      tokenId: 'tid-log',
      tokenSecret: 'SECRET-token-1a2b3c',
    };
    const emulator = createNetSuiteEmulator({
      accountId: '5550002',
      tba,
      m2m: {
        clientId: 'client-log',
        certificateId: 'cert-log',
        publicKey: String(keys.publicKey.export({ type: 'spki', format: 'pem' })),
      },
    });
    emulator.state.insert('customer', [{ companyName: 'Acme' }]);
    const lines: string[] = [];
    const logger = {
      debug: (o: object, m?: string) => lines.push(JSON.stringify(o) + (m ?? '')),
      info: (o: object, m?: string) => lines.push(JSON.stringify(o) + (m ?? '')),
      warn: (o: object, m?: string) => lines.push(JSON.stringify(o) + (m ?? '')),
      error: (o: object, m?: string) => lines.push(JSON.stringify(o) + (m ?? '')),
    };
    const common = {
      accountId: '5550002',
      baseUrl: 'https://emulator.test',
      fetch: emulator.fetch,
      logger,
      onEvent: (e: object) => lines.push(JSON.stringify(e)),
      retry: false as const,
    };
    const viaTba = createNetSuiteClient({ ...common, auth: { type: 'tba', ...tba } });
    const viaM2m = createNetSuiteClient({
      ...common,
      auth: { type: 'm2m', clientId: 'client-log', certificateId: 'cert-log', privateKey },
    });
    await getRecord(viaTba, 'customer', '1');
    await getRecord(viaM2m, 'customer', '1');
    await suiteqlPage(viaM2m, suiteql`SELECT id FROM customer`);
    const failure = await createRecord(viaTba, 'salesOrder', {}).catch((e) => e);
    lines.push(failure.message, JSON.stringify(failure));
    const wrong = createNetSuiteClient({
      ...common,
      auth: { type: 'tba', ...tba, tokenSecret: 'SECRET-wrong-5d6e' },
    });
    const denied = await getRecord(wrong, 'customer', '1').catch((e) => e);
    lines.push(denied.message, JSON.stringify(denied), String(denied.stack));

    expect(lines.length).toBeGreaterThan(4);
    const text = lines.join('\n');
    for (const secret of [
      tba.consumerSecret,
      tba.tokenSecret,
      'SECRET-wrong-5d6e',
      'PRIVATE KEY',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/ns-at-[0-9a-f]{16}/); // issued access tokens
    expect(text).not.toMatch(/oauth_signature=/);
  });
});
