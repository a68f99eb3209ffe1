import { ConfigError, createLimiter, RateLimitError } from '@plumbline/client-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  concurrencyFromGovernance,
  createNetSuiteClient,
  createRecord,
  getGovernanceLimits,
  getRecord,
  netSuiteAccountLimiter,
  parseNetSuiteError,
  SuiteqlRowError,
  SuiteqlScanError,
  suiteql,
  suiteqlRows,
} from '../src/index.js';
import { createNetSuiteEmulator } from '../src/testing.js';

const noAuth = { authorize: async (r: Request) => r, secrets: () => [] };
const toRequest = (input: string | URL | Request, init?: RequestInit) =>
  input instanceof Request ? input : new Request(input, init);

describe('createNetSuiteClient', () => {
  it('derives the host from the account id and keeps the realm in upper case', async () => {
    const urls: string[] = [];
    const client = createNetSuiteClient({
      accountId: '1234567_SB1',
      auth: noAuth,
      fetch: async (input: string | URL | Request, init?: RequestInit) => {
        urls.push(toRequest(input, init).url);
        return Response.json({ id: '5', companyName: 'Acme' });
      },
    });
    expect(client.netsuite).toEqual({
      accountId: '1234567_SB1',
      realm: '1234567_SB1',
      baseUrl: 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest',
    });
    await getRecord(client, 'customer', '5', { fields: ['companyName'] });
    expect(urls).toEqual([
      'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/5?fields=companyName',
    ]);
  });

  it('refuses bad options with ConfigError naming the option', () => {
    expect(() => createNetSuiteClient({ accountId: '12 34', auth: noAuth })).toThrow(/`accountId`/);
    expect(() => createNetSuiteClient({ accountId: '1', auth: undefined as never })).toThrow(
      /`auth`/,
    );
    expect(() => createNetSuiteClient({ accountId: '1', auth: { type: 'nope' } as never })).toThrow(
      /`auth.type`/,
    );
    expect(() =>
      createNetSuiteClient({ accountId: '1', auth: noAuth, baseUrl: 'not a url' }),
    ).toThrow(/`baseUrl`/);
    expect(() =>
      createNetSuiteClient({ accountId: '9000001', auth: noAuth, concurrency: 0 }),
    ).toThrow(ConfigError);
  });

  it('shares one limiter per account and refuses a conflicting limit for the same account', () => {
    const a = netSuiteAccountLimiter('9000002', { concurrency: 3 });
    expect(netSuiteAccountLimiter('9000002')).toBe(a);
    expect(netSuiteAccountLimiter('9000002_sb1')).not.toBe(a);
    expect(() => netSuiteAccountLimiter('9000002', { concurrency: 4 })).toThrow(
      /already shares a limiter of 3/,
    );
    const own = createLimiter({ maxConcurrent: 2 });
    expect(() =>
      createNetSuiteClient({ accountId: '9000002', auth: noAuth, limiter: own, concurrency: 2 }),
    ).toThrow(/either your own limiter/);
  });

  it('retries a 400 SSS_REQUEST_LIMIT_EXCEEDED create, so the write is not lost', async () => {
    const emulator = createNetSuiteEmulator({ accountId: '9000003' });
    let refusals = 0;
    const client = createNetSuiteClient({
      accountId: '9000003',
      auth: noAuth,
      baseUrl: 'https://emulator.test',
      retry: { retries: 3, minDelayMs: 1, maxDelayMs: 5 },
      fetch: async (input: string | URL | Request, init?: RequestInit) => {
        const request = toRequest(input, init);
        if (request.method === 'POST' && refusals < 2) {
          refusals++;
          return Response.json(
            {
              type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1',
              title: 'Bad Request',
              status: 400,
              'o:errorDetails': [
                {
                  detail: 'Concurrent request limit exceeded.',
                  'o:errorCode': 'SSS_REQUEST_LIMIT_EXCEEDED',
                },
              ],
            },
            { status: 400 },
          );
        }
        return emulator.fetch(request);
      },
    });
    const created = await createRecord(client, 'customer', { companyName: 'Persistent' });
    expect(refusals).toBe(2);
    expect(emulator.state.count('customer')).toBe(1);
    expect(created.id).toBe('1');
  });

  it('surfaces exhausted concurrency refusals as RateLimitError with the NetSuite code', async () => {
    const client = createNetSuiteClient({
      accountId: '9000004',
      auth: noAuth,
      baseUrl: 'https://emulator.test',
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
      fetch: async () =>
        Response.json(
          {
            type: 'x',
            title: 'Too Many Requests',
            status: 429,
            'o:errorDetails': [
              {
                detail: 'Concurrent request limit exceeded. Request blocked.',
                'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED',
              },
            ],
          },
          { status: 429 },
        ),
    });
    const error = await getRecord(client, 'customer', '1').catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ vendorCode: 'CONCURRENCY_LIMIT_EXCEEDED', attempts: 2 });
    expect(error.message).toContain('Concurrent request limit exceeded. Request blocked.');
  });
});

describe('governance limits', () => {
  it('reads /system/v1/governanceLimits and derives the concurrency to configure', async () => {
    const emulator = createNetSuiteEmulator({
      accountId: '9000008',
      concurrencyLimit: 15,
      integrationConcurrencyLimit: 4,
    });
    const probe = createNetSuiteClient({
      accountId: '9000008',
      auth: noAuth,
      baseUrl: 'https://emulator.test',
      limiter: createLimiter({ maxConcurrent: 1 }),
      fetch: emulator.fetch,
    });
    const limits = await getGovernanceLimits(probe);
    expect(limits).toEqual({
      accountConcurrencyLimit: 15,
      accountUnallocatedConcurrencyLimit: 11,
      integrationConcurrencyLimit: 4,
      integrationLimitType: 'integrationSpecific',
    });
    expect(concurrencyFromGovernance(limits)).toBe(4);
    expect(
      concurrencyFromGovernance({
        accountConcurrencyLimit: 5,
        accountUnallocatedConcurrencyLimit: 3,
        integrationLimitType: 'accountLimit',
      }),
    ).toBe(3);
    expect(
      concurrencyFromGovernance({ accountConcurrencyLimit: 5, integrationLimitType: 'internal' }),
    ).toBe(5);
  });
});

describe('parseNetSuiteError', () => {
  it('takes the first code and detail and keeps every entry', () => {
    const info = parseNetSuiteError(
      JSON.stringify({
        type: 't',
        title: 'Bad Request',
        status: 400,
        'o:errorDetails': [
          {
            detail: 'Please enter value(s) for: Customer.',
            'o:errorCode': 'USER_ERROR',
            'o:errorPath': 'entity',
          },
          { detail: 'Second problem.', 'o:errorCode': 'INVALID_VALUE' },
        ],
      }),
    );
    expect(info.vendorCode).toBe('USER_ERROR');
    expect(info.vendorMessage).toBe('Please enter value(s) for: Customer.');
    expect(info.details).toHaveLength(2);
    expect(parseNetSuiteError('{"error":"invalid_grant"}')).toEqual({
      vendorCode: 'invalid_grant',
    });
    expect(parseNetSuiteError('<html>gateway</html>')).toEqual({
      vendorMessage: '<html>gateway</html>',
    });
  });
});

describe('suiteqlRows', () => {
  function client(accountId: string, emulator: ReturnType<typeof createNetSuiteEmulator>) {
    return createNetSuiteClient({
      accountId,
      auth: noAuth,
      baseUrl: 'https://emulator.test',
      fetch: async (input: string | URL | Request, init?: RequestInit) =>
        emulator.fetch(toRequest(input, init)),
    });
  }

  it('validates rows with a zod schema and names the bad row and field', async () => {
    const emulator = createNetSuiteEmulator({ accountId: '9000005' });
    emulator.state.insert('customer', [
      { companyName: 'A', email: 'a@x.test' },
      { companyName: 'B' },
    ]);
    const schema = z.object({ id: z.coerce.number(), companyname: z.string(), email: z.string() });
    const seen: number[] = [];
    const error = await (async () => {
      for await (const row of suiteqlRows(
        client('9000005', emulator),
        suiteql`SELECT id, companyname, email FROM customer`,
        { schema },
      )) {
        seen.push(row.id);
      }
    })().catch((e) => e);
    expect(seen).toEqual([1]);
    expect(error).toBeInstanceOf(SuiteqlRowError);
    expect(error).toMatchObject({ code: 'SUITEQL_ROW_INVALID', rowIndex: 1, rowId: '2' });
    expect(error.message).toContain('row 1 (id 2)');
    expect(error.message).toContain('field "email"');
  });

  it('pages with offsets that are multiples of the page size', async () => {
    const emulator = createNetSuiteEmulator({ accountId: '9000006' });
    emulator.state.insert(
      'customer',
      Array.from({ length: 23 }, (_, i) => ({ companyName: `C${i}` })),
    );
    const ids: string[] = [];
    for await (const row of suiteqlRows(
      client('9000006', emulator),
      suiteql`SELECT id FROM customer ORDER BY id DESC`,
      { pageSize: 5 },
    )) {
      ids.push(String(row.id));
    }
    expect(ids).toEqual(Array.from({ length: 23 }, (_, i) => String(23 - i)));
    expect(emulator.state.suiteqlPages.map((p) => p.offset)).toEqual([0, 5, 10, 15, 20]);
  });

  it('asks for an id column, or refuses with keyset: never, when the result passes 100,000 rows', async () => {
    const emulator = createNetSuiteEmulator({ accountId: '9000007' });
    emulator.state.insert(
      'customer',
      (function* () {
        for (let i = 0; i < 100_500; i++) yield { companyName: 'x' };
      })(),
    );
    const drain = async (q: string, options: Parameters<typeof suiteqlRows>[2] = {}) => {
      for await (const _ of suiteqlRows(client('9000007', emulator), suiteql.raw(q), options)) {
        // consume
      }
    };
    const noId = await drain('SELECT companyname FROM customer').catch((e) => e);
    expect(noId).toBeInstanceOf(SuiteqlScanError);
    expect(noId.code).toBe('SUITEQL_KEYSET_NEEDS_ID');
    expect(noId.message).toContain('add "id" to the SELECT list');
    const never = await drain('SELECT id FROM customer', { keyset: 'never' }).catch((e) => e);
    expect(never.code).toBe('SUITEQL_RESULT_CAP');
    expect(never.message).toContain('matches 100500 rows');
    await expect(drain('SELECT id FROM customer', { pageSize: 0 })).rejects.toThrow(/pageSize/);
  }, 15_000);
});
