import { generateKeyPairSync } from 'node:crypto';
import { mswHandlers } from '@plumbline/client-core/testing/msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSalesforceClient, queryAll, upsert } from '../src/index.js';
import { createSalesforceEmulator } from '../src/testing.js';

const { publicKey, privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const emulator = createSalesforceEmulator({
  jwt: { clientId: 'app', publicKey, username: 'ops@acme.com' },
  instanceUrl: 'https://acme.my.salesforce.com',
  objects: [
    {
      name: 'Account',
      fields: [
        {
          name: 'Erp_Id__c',
          type: 'string',
          externalId: true,
          unique: true,
          nillable: true,
          createable: true,
          updateable: true,
        },
      ],
    },
  ],
});
const server = setupServer(
  ...mswHandlers(emulator.fetch, 'https://login.salesforce.com'),
  ...mswHandlers(emulator.fetch, 'https://acme.my.salesforce.com'),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

it('works through msw with the global fetch: JWT login, then calls on the instance_url', async () => {
  const client = createSalesforceClient({
    auth: { type: 'jwt', clientId: 'app', username: 'ops@acme.com', privateKey },
  });
  const result = await upsert(client, 'Account', 'Erp_Id__c', 'E-1', { Name: 'Through msw' });
  expect(result.created).toBe(true);
  expect(await queryAll(client, 'SELECT Name FROM Account')).toMatchObject([
    { Name: 'Through msw' },
  ]);
  expect(emulator.state.requests.map((r) => r.path)).toContain('/services/oauth2/token');
});
