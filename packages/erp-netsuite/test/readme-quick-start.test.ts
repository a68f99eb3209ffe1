// The README's quick start, run as written (the block marked doc-test: quick-start, imported from
// a scratch project that resolves the built package) against the emulator in process, standing
// in for account 1234567_SB1 with the TBA credentials the quick start reads from the environment.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { quickStartModule, routeOrigins } from '../../../scripts/doc-test/quick-start.mjs';
import { createNetSuiteEmulator } from '../src/testing.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const tba = {
  consumerKey: 'quick-start-consumer',
  consumerSecret: 'quick-start-consumer-secret',
  tokenId: 'quick-start-token',
  tokenSecret: 'quick-start-token-secret',
};

describe('README quick start', () => {
  it('signs with TBA, reads customer 647 and sales order 1201, and scans changed customers with SuiteQL', async () => {
    const emulator = createNetSuiteEmulator({ accountId: '1234567_SB1', tba });
    // Internal ids count up per id family: fill in up to the ids the quick start reads.
    const customers = Array.from({ length: 647 }, (_, i) => ({
      companyName: `Customer ${i + 1}`,
      subsidiary: { id: '1' },
    }));
    customers[646] = { companyName: 'Acme', subsidiary: { id: '1' } };
    expect(emulator.state.insert('customer', customers).at(-1)).toBe('647');
    const orders = Array.from({ length: 1201 }, (_, i) => ({
      tranId: `SO${i + 1}`,
      entity: { id: '647' },
    }));
    expect(emulator.state.insert('salesOrder', orders).at(-1)).toBe('1201');
    // In process: the emulator checks each OAuth 1.0a signature over the URL the client signed.
    cleanup.push(
      routeOrigins({ 'https://1234567-sb1.suitetalk.api.netsuite.com': emulator.fetch }),
    );
    vi.stubEnv('NS_CONSUMER_KEY', tba.consumerKey);
    vi.stubEnv('NS_CONSUMER_SECRET', tba.consumerSecret);
    vi.stubEnv('NS_TOKEN_ID', tba.tokenId);
    vi.stubEnv('NS_TOKEN_SECRET', tba.tokenSecret);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const quickStart = quickStartModule(new URL('..', import.meta.url).pathname);
    cleanup.push(quickStart.remove);

    await import(quickStart.file);

    const lines = log.mock.calls;
    expect(lines[0]).toEqual(['customer 647 is Acme; sales order 1201 is SO1201']);
    // Every customer was changed after 2024-01-01 (inserted now): all 647 rows, in pages.
    expect(lines).toHaveLength(1 + 647);
    expect(lines.at(-1)).toEqual(['647', 'Acme']);
    expect(emulator.state.authRejections).toBe(0);
  });
});
