import type { RunningServer } from '@plumbline/client-core/testing';
import { createSalesforceClient, type SalesforceClient } from '@plumbline/crm-salesforce';
import {
  createSalesforceEmulator,
  type SalesforceEmulator,
} from '@plumbline/crm-salesforce/testing';

export const SF_API_VERSION = '62.0';
export const SF_TOKEN = 'bench-access-token';
export const EXTERNAL_ID = 'Bench_External_Id__c';

/** A Salesforce emulator org over loopback HTTP with injected latency and an Account external id. */
export interface SalesforceOrg {
  emulator: SalesforceEmulator;
  server: RunningServer;
  /** Requests the emulator has handled so far. */
  requests(): number;
  close(): Promise<void>;
}

export async function startSalesforceOrg(options: {
  latencyMs: number;
  seedAccounts?: number;
}): Promise<SalesforceOrg> {
  const emulator = createSalesforceEmulator({
    accessTokens: [SF_TOKEN],
    dailyApiLimit: 100_000_000,
    objects: [
      {
        name: 'Account',
        fields: [
          {
            name: EXTERNAL_ID,
            type: 'string',
            length: 40,
            externalId: true,
            unique: true,
            custom: true,
            nillable: true,
            createable: true,
            updateable: true,
          },
        ],
      },
    ],
    ...(options.latencyMs > 0 ? { faults: { latencyMs: options.latencyMs } } : {}),
  });
  for (let i = 0; i < (options.seedAccounts ?? 0); i++) {
    emulator.state.insert('Account', accountRecord(i));
  }
  const server = await emulator.listen();
  return {
    emulator,
    server,
    requests: () => emulator.state.requests.length,
    close: () => server.close(),
  };
}

/** The Account every scenario writes or reads: 8 fields, keyed by the external id. */
export function accountRecord(i: number): Record<string, string | number> {
  return {
    [EXTERNAL_ID]: `EXT-${String(i).padStart(7, '0')}`,
    Name: `Bench Account ${i}`,
    AccountNumber: `AN-${i}`,
    Industry: ['Retail', 'Manufacturing', 'Technology'][i % 3]!,
    BillingCity: ['Lisbon', 'Porto', 'Braga', 'Faro'][i % 4]!,
    BillingCountry: 'Portugal',
    Phone: `+351 21 000 ${String(i % 10_000).padStart(4, '0')}`,
    NumberOfEmployees: (i % 500) + 1,
  };
}

export function salesforceClient(instanceUrl: string): SalesforceClient {
  return createSalesforceClient({
    auth: { type: 'accessToken', accessToken: SF_TOKEN, instanceUrl },
    apiVersion: SF_API_VERSION,
  });
}
