import { HttpError } from '@plumbline/client-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createNetSuiteClient,
  NetSuiteArgumentError,
  suiteql,
  suiteqlPage,
  suiteqlRows,
} from '../src/index.js';
import { createNetSuiteEmulator } from '../src/testing.js';

let accounts = 0;

function setup() {
  const accountId = `8200${++accounts}`;
  const emulator = createNetSuiteEmulator({ accountId });
  let sent = 0;
  const client = createNetSuiteClient({
    accountId,
    auth: { authorize: async (r) => r, secrets: () => [] },
    baseUrl: 'https://emulator.test',
    retry: false,
    fetch: (input: string | URL | Request, init?: RequestInit) => {
      sent++;
      return emulator.fetch(input instanceof Request ? input : new Request(input, init));
    },
  });
  return { emulator, client, sent: () => sent };
}

/** Doubles SuiteQL can hold: Oracle NUMBER's range, with the exponent-prone ends well covered. */
const representable = fc
  .oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: -130, max: 125 }).map((e) => 10 ** e),
    fc.double({ min: -1e-5, max: 1e-5, noNaN: true }),
    fc.double({ min: 1e20, max: 1e30, noNaN: true }),
    fc.integer().map((n) => n / 7),
  )
  .filter((x) => x === 0 || (Math.abs(x) >= 1e-130 && Math.abs(x) < 1e126));

describe('SuiteQL literals in the emulator', () => {
  it('reads every rendered number back as the same value (property)', async () => {
    const { client, emulator } = setup();
    await fc.assert(
      fc.asyncProperty(representable, async (x) => {
        const [id] = emulator.state.insert('customer', [{ companyName: 'N', balance: x }]);
        const literal = suiteql`${x}`.q;
        expect(literal).not.toMatch(/[eE]/);
        const equal = await suiteqlPage(
          client,
          suiteql`SELECT id FROM customer WHERE id = ${Number(id)} AND balance = ${x}`,
        );
        expect(equal.items.map((r) => r.id)).toEqual([id]);
        const different = await suiteqlPage(
          client,
          suiteql`SELECT id FROM customer WHERE id = ${Number(id)} AND balance <> ${x}`,
        );
        expect(different.items).toEqual([]);
      }),
      { numRuns: 100, seed: 20_241_203 },
    );
  }, 60_000);

  it('answers a TO_DATE of a day that does not exist with 400, as Oracle does (ORA-01839)', async () => {
    const { client } = setup();
    for (const text of ['2024-02-30', '2023-02-29', '2024-13-01', '0000-01-01']) {
      const error = await suiteqlPage(
        client,
        suiteql.raw(
          `SELECT id FROM customer WHERE datecreated >= TO_DATE('${text}', 'YYYY-MM-DD')`,
        ),
      ).catch((e: unknown) => e);
      expect(error, text).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({ status: 400, vendorCode: 'INVALID_PARAMETER' });
    }
    const ok = await suiteqlPage(
      client,
      suiteql`SELECT id FROM customer WHERE datecreated >= ${suiteql.date('2024-02-29')}`,
    );
    expect(ok.items).toEqual([]);
  });

  it('refuses raw strings and forged fragments before sending anything', async () => {
    const { client, sent } = setup();
    const forged = [
      'SELECT id FROM customer',
      { q: 'SELECT id FROM customer', [Symbol.for('plumbline.netsuite.suiteql')]: true },
      { ...suiteql`SELECT id FROM customer` },
      null,
    ];
    for (const query of forged) {
      const page = await suiteqlPage(client, query as never).catch((e: unknown) => e);
      expect(page).toBeInstanceOf(NetSuiteArgumentError);
      expect(page).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'query' });
      const rows = await (async () => {
        for await (const _ of suiteqlRows(client, query as never)) return 'ran';
      })().catch((e: unknown) => e);
      expect(rows).toBeInstanceOf(NetSuiteArgumentError);
    }
    const raw = await suiteqlPage(client, 'SELECT 1' as never).catch((e: unknown) => e);
    expect((raw as Error).message).toMatch(/suiteql\.raw\(text\)/);
    expect(sent()).toBe(0);
  });
});
