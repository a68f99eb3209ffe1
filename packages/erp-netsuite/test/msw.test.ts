import { mswHandlers } from '@plumbline/client-core/testing/msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createNetSuiteClient, suiteql, suiteqlRows, upsertByExternalId } from '../src/index.js';
import { createNetSuiteEmulator } from '../src/testing.js';

// The emulator behind msw: the client talks to the real NetSuite host name with the global fetch.
const accountId = '4440001_SB2';
const tba = {
  consumerKey: 'ck-msw',
  consumerSecret: 'cs-msw',
  tokenId: 'tid-msw',
  tokenSecret: 'ts-msw',
};
const emulator = createNetSuiteEmulator({ accountId, tba });
const server = setupServer(
  ...mswHandlers(emulator.fetch, 'https://4440001-sb2.suitetalk.api.netsuite.com'),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

it('serves the real NetSuite host through msw, signatures verified', async () => {
  const client = createNetSuiteClient({ accountId, auth: { type: 'tba', ...tba } });
  const { id } = await upsertByExternalId(client, 'customer', 'M-1', { companyName: 'Via MSW' });
  const rows = [];
  for await (const row of suiteqlRows(
    client,
    suiteql`SELECT id, companyname FROM customer WHERE externalid = ${'M-1'}`,
  )) {
    rows.push(row);
  }
  expect(rows).toEqual([{ id, companyname: 'Via MSW' }]);
  expect(emulator.state.authRejections).toBe(0);
});
