import { describe, expect, it } from 'vitest';
import {
  asyncJobResult,
  createNetSuiteClient,
  createRecord,
  deleteRecord,
  getRecord,
  getRecordByExternalId,
  NetSuiteArgumentError,
  transformRecord,
  transformRecordAsync,
  updateRecord,
  upsertByExternalId,
  upsertByExternalIdAsync,
  waitForJob,
} from '../src/index.js';
import { createNetSuiteEmulator } from '../src/testing.js';

let accounts = 0;

/** A client on an in-process emulator that records the URL path of every request it sends. */
function setup() {
  const accountId = `8100${++accounts}`;
  const emulator = createNetSuiteEmulator({ accountId });
  const sent: { method: string; path: string }[] = [];
  const client = createNetSuiteClient({
    accountId,
    auth: { authorize: async (r) => r, secrets: () => [] },
    baseUrl: 'https://emulator.test',
    retry: false,
    fetch: (input: string | URL | Request, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      sent.push({ method: request.method, path: new URL(request.url).pathname });
      return emulator.fetch(request);
    },
  });
  return { emulator, client, sent };
}

/** Ids that would leave their path segment, or that have no URL form at all. */
const REFUSED_IDS = ['', '   ', '.', '..', '\uD800', 'a\uDC00b'];

/** Hostile but legal ids: each must arrive as one encoded segment, whatever it holds. */
const ENCODED_IDS = [
  'a/b',
  '../1',
  '1/../2',
  '1?x=2',
  '1#frag',
  '%2e%2e',
  '%2E',
  '.%2e',
  'a\\b',
  '{id}',
  '1;drop',
  ' 1',
  'é',
  '...',
];

/** The call must reject (not throw synchronously) with a NetSuiteArgumentError. */
async function refusal(call: () => Promise<unknown>): Promise<NetSuiteArgumentError> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NetSuiteArgumentError);
  return error as NetSuiteArgumentError;
}

describe('path parameters stay inside their segment', () => {
  it('refuses ids ".", "..", empty and lone surrogates with a typed error naming the parameter, sending nothing', async () => {
    const { client, sent } = setup();
    for (const id of REFUSED_IDS) {
      const calls: [string, () => Promise<unknown>][] = [
        ['id', () => deleteRecord(client, 'customer', id)],
        ['id', () => getRecord(client, 'customer', id)],
        ['id', () => updateRecord(client, 'customer', id, { companyName: 'x' })],
        ['id', () => transformRecord(client, 'salesOrder', id, 'invoice')],
        ['id', () => transformRecordAsync(client, 'salesOrder', id, 'invoice')],
        ['jobId', () => waitForJob(client, id)],
        ['jobId', () => asyncJobResult(client, id)],
      ];
      for (const [argument, call] of calls) {
        const error = await refusal(call);
        expect(error.code).toBe('INVALID_ARGUMENT');
        expect(error.argument, JSON.stringify(id)).toBe(argument);
        expect(error.message).toContain(`\`${argument}\``);
      }
    }
    expect(sent).toEqual([]);
  });

  it('refuses empty external ids and "eid:" with nothing after it, naming the parameter', async () => {
    const { client, sent } = setup();
    for (const externalId of ['', ' ', '\uD83D']) {
      expect(
        (await refusal(() => upsertByExternalId(client, 'customer', externalId, {}))).argument,
      ).toBe('externalId');
      expect(
        (await refusal(() => getRecordByExternalId(client, 'customer', externalId))).argument,
      ).toBe('externalId');
      expect(
        (await refusal(() => upsertByExternalIdAsync(client, 'customer', externalId, {}))).argument,
      ).toBe('externalId');
    }
    expect((await refusal(() => getRecord(client, 'customer', 'eid:'))).argument).toBe('id');
    expect(sent).toEqual([]);
  });

  it('refuses record types and sublist names that are not names, sending nothing', async () => {
    const { client, sent } = setup();
    for (const type of ['', '.', '..', 'customer/..', 'a b', 'customer?x', '%2e']) {
      expect((await refusal(() => getRecord(client, type, '1'))).argument).toBe('type');
      expect((await refusal(() => createRecord(client, type, {}))).argument).toBe('type');
      expect((await refusal(() => transformRecord(client, 'salesOrder', '1', type))).argument).toBe(
        'to',
      );
    }
    for (const sublist of ['', 'item,addressBook', 'item&x=1', '../item']) {
      const error = await refusal(() =>
        updateRecord(client, 'salesOrder', '1', { memo: 'x' }, { replace: ['item', sublist] }),
      );
      expect(error.argument).toBe('replace[1]');
    }
    expect(sent).toEqual([]);
  });

  it('encodes every other id into exactly one segment that NetSuite decodes back to the id', async () => {
    const { client, sent } = setup();
    for (const id of ENCODED_IDS) {
      sent.length = 0;
      // The emulator answers 400 INVALID_ID or 404 for these; what matters is where they went.
      await deleteRecord(client, 'customer', id).catch(() => undefined);
      await getRecordByExternalId(client, 'customer', id).catch(() => undefined);
      await transformRecord(client, 'salesOrder', id, 'invoice').catch(() => undefined);
      const [del, byEid, transform] = sent;
      const segments = (path: string) => path.split('/').slice(6);
      expect(del?.method).toBe('DELETE');
      expect(segments(del!.path).map(decodeURIComponent), id).toEqual([id]);
      expect(segments(byEid!.path).map(decodeURIComponent), id).toEqual([`eid:${id}`]);
      expect(segments(transform!.path).map(decodeURIComponent), id).toEqual([
        id,
        '!transform',
        'invoice',
      ]);
      expect(del!.path.startsWith('/services/rest/record/v1/customer/')).toBe(true);
    }
  });

  it('keeps an external id of ".." inside its eid: segment', async () => {
    const { client, emulator, sent } = setup();
    const { id } = await upsertByExternalId(client, 'customer', '..', { companyName: 'Dots' });
    expect(sent[0]).toEqual({ method: 'PUT', path: '/services/rest/record/v1/customer/eid:..' });
    expect(emulator.state.getByExternalId('customer', '..')?.id).toBe(id);
  });
});
