import type { RunningServer } from '@plumbline/client-core/testing';
import { createNetSuiteClient, type NetSuiteClient } from '@plumbline/erp-netsuite';
import { createNetSuiteEmulator, type NetSuiteEmulator } from '@plumbline/erp-netsuite/testing';

/** Token-based-auth credentials the bench account accepts (not secrets: emulator only). */
export const NS_TBA = {
  consumerKey: 'bench-consumer-key',
  consumerSecret: 'bench-consumer-secret',
  tokenId: 'bench-token-id',
  tokenSecret: 'bench-token-secret',
};
/** NetSuite's default account concurrency limit for web services. */
export const NS_CONCURRENCY_LIMIT = 5;

export interface NetSuiteAccount {
  accountId: string;
  emulator: NetSuiteEmulator;
  server: RunningServer;
  close(): Promise<void>;
}

let accounts = 0;

/**
 * A NetSuite emulator account over loopback HTTP: every request holds one of the account's
 * `concurrencyLimit` slots for `latencyMs`; requests beyond the limit get 429.
 */
export async function startNetSuiteAccount(options: {
  latencyMs: number;
  customers?: number;
  /** Lower NetSuite's 100,000-row SuiteQL paging cap (quick runs cross it with a few rows). */
  suiteqlRowCap?: number;
}): Promise<NetSuiteAccount> {
  // A distinct account per start: clients of one account share one limiter per process.
  accounts++;
  const accountId = `${7_100_000 + process.pid * 10 + accounts}`;
  const emulator = createNetSuiteEmulator({
    accountId,
    tba: NS_TBA,
    concurrencyLimit: NS_CONCURRENCY_LIMIT,
    latencyMs: options.latencyMs,
    ...(options.suiteqlRowCap === undefined ? {} : { suiteqlRowCap: options.suiteqlRowCap }),
  });
  if (options.customers) {
    const total = options.customers;
    emulator.state.insert(
      'customer',
      (function* () {
        for (let i = 1; i <= total; i++) {
          yield { companyName: `Company ${i}`, email: `c${i}@example.com`, isPerson: false };
        }
      })(),
    );
  }
  const server = await emulator.listen();
  return { accountId, emulator, server, close: () => server.close() };
}

export function netSuiteClient(accountId: string, baseUrl: string): NetSuiteClient {
  return createNetSuiteClient({ accountId, auth: { type: 'tba', ...NS_TBA }, baseUrl });
}
