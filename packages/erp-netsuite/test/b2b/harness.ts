import type { RunningServer } from '@plumbline/client-core/testing';
import { afterAll, beforeAll } from 'vitest';
import { createNetSuiteClient, type NetSuiteClient } from '../../src/index.js';
import {
  createNetSuiteEmulator,
  type NetSuiteEmulator,
  type NetSuiteEmulatorOptions,
} from '../../src/testing.js';

const tba = {
  consumerKey: 'ck-b2b',
  consumerSecret: 'cs-b2b-secret',
  tokenId: 'tid-b2b',
  tokenSecret: 'ts-b2b-secret',
};

/** An emulator listening on loopback and this package's client signed with TBA, per file. */
export function b2bAccount(options: Partial<NetSuiteEmulatorOptions> = {}) {
  const accountId = '7000016_SB1';
  const ctx = {} as { emulator: NetSuiteEmulator; client: NetSuiteClient; server: RunningServer };
  beforeAll(async () => {
    ctx.emulator = createNetSuiteEmulator({ accountId, tba, ...options });
    ctx.server = await ctx.emulator.listen();
    ctx.client = createNetSuiteClient({
      accountId,
      auth: { type: 'tba', ...tba },
      baseUrl: ctx.server.url,
      retry: false,
    });
  });
  afterAll(() => ctx.server.close());
  return ctx;
}
