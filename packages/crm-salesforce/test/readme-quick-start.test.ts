// The README's quick start, run as written (the block marked doc-test: quick-start, imported from
// a scratch project that resolves the built package) against the emulator on loopback, standing
// in for https://login.salesforce.com and the org's instance, with a JWT bearer key pair made here.
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { quickStartModule, routeOrigins } from '../../../scripts/doc-test/quick-start.mjs';
import { createSalesforceEmulator } from '../src/testing.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('README quick start', () => {
  it('signs in with the JWT bearer flow, finds the account by a name with a quote, and describes Account', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const emulator = createSalesforceEmulator({
      jwt: {
        clientId: 'quick-start-app',
        publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        username: 'integration@acme.com',
        audiences: ['https://login.salesforce.com'],
      },
      seed: {
        Account: [{ Name: "Dunmore's Mill" }, { Name: 'Dunmore' }, { Name: "Dunmore's Mill Ltd" }],
      },
    });
    const server = await emulator.listen();
    cleanup.push(() => server.close());
    cleanup.push(routeOrigins({ 'https://login.salesforce.com': server.url }));
    vi.stubEnv('SF_CONSUMER_KEY', 'quick-start-app');
    vi.stubEnv('SF_PRIVATE_KEY', privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const quickStart = quickStartModule(new URL('..', import.meta.url).pathname);
    cleanup.push(quickStart.remove);

    await import(quickStart.file);

    const mill = emulator.state.records('Account').find((a) => a.Name === "Dunmore's Mill");
    expect(log.mock.calls).toEqual([
      [mill?.Id, "Dunmore's Mill"],
      [expect.stringMatching(new RegExp(`^Account has \\d+ fields on ${server.url}$`))],
    ]);
    expect(emulator.state.tokenRequests).toEqual({
      'urn:ietf:params:oauth:grant-type:jwt-bearer': 1,
    });
  });
});
