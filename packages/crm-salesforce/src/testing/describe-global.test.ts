import { describe, expect, it } from 'vitest';
import { createSalesforceEmulator } from '../testing.js';

/**
 * Describe Global entries and sObject Basic Information agree with each object's own describe:
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_describeglobal_describeglobalresult.htm
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-sobject-basic-info-get.html
 */

const emulator = createSalesforceEmulator({
  accessTokens: ['t'],
  objects: [
    {
      name: 'Invoice__c',
      label: 'Invoice',
      labelPlural: 'Invoices',
      createable: false,
      feedEnabled: true,
      fields: [{ name: 'Total__c', type: 'currency' }],
    },
  ],
});
const get = async (path: string) => {
  const response = await emulator.fetch(
    new Request(`https://org.example.com/services/data/v61.0/${path}`, {
      headers: { authorization: 'Bearer t' },
    }),
  );
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, any>;
};

describe('Describe Global', () => {
  it("gives every object an entry whose properties are its describe's, with its own urls", async () => {
    const global = await get('sobjects/');
    expect(global.sobjects.map((s: { name: string }) => s.name)).toEqual(
      expect.arrayContaining(['Account', 'Contact', 'Opportunity', 'User', 'Invoice__c']),
    );
    for (const entry of global.sobjects) {
      const full = await get(`sobjects/${entry.name}/describe`);
      const { urls, ...flags } = entry;
      for (const [name, value] of Object.entries(flags))
        expect(value, `${entry.name}.${name}`).toEqual(full[name]);
      expect(Object.keys(flags)).toHaveLength(27);
      const base = `/services/data/v61.0/sobjects/${entry.name}`;
      expect(urls).toEqual({
        sobject: base,
        describe: `${base}/describe`,
        rowTemplate: `${base}/{ID}`,
      });
    }
  });

  it("carries a custom object's declared labels and flags", async () => {
    const global = await get('sobjects/');
    expect(global.sobjects.find((s: { name: string }) => s.name === 'Invoice__c')).toMatchObject({
      label: 'Invoice',
      labelPlural: 'Invoices',
      custom: true,
      createable: false,
      feedEnabled: true,
      keyPrefix: expect.stringMatching(/^a0/),
    });
  });

  it('answers sObject Basic Information with the same entry as objectDescribe', async () => {
    const global = await get('sobjects/');
    const basic = await get('sobjects/Invoice__c');
    expect(basic).toEqual({
      objectDescribe: global.sobjects.find((s: { name: string }) => s.name === 'Invoice__c'),
      recentItems: [],
    });
  });
});
