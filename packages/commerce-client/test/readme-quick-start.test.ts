// The README's quick start, run as written (the block marked doc-test: quick-start, imported from
// a scratch project that resolves the built package) against the emulator on loopback, standing
// in for https://shop.example.com with the credentials the quick start reads from the environment.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { quickStartModule, routeOrigins } from '../../../scripts/doc-test/quick-start.mjs';
import { createCommerceEmulator } from '../src/testing.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('README quick start', () => {
  it('signs in as the admin user, reads order 42 and lists the orders to handle', async () => {
    const emulator = createCommerceEmulator({
      adminUsers: [{ username: 'integration', password: 'quick-start-Secret1' }],
      seed: {
        products: [{ sku: 'MB-01', name: 'Joust Duffle Bag', price: 34 }],
        sourceItems: [{ sku: 'MB-01', source_code: 'default', quantity: 100, status: 1 }],
      },
    });
    for (let i = 0; i < 42; i++) emulator.state.placeOrder({ items: [{ sku: 'MB-01', qty: 1 }] });
    const server = await emulator.listen();
    cleanup.push(() => server.close());
    cleanup.push(routeOrigins({ 'https://shop.example.com': server.url }));
    vi.stubEnv('M2_USER', 'integration');
    vi.stubEnv('M2_PASSWORD', 'quick-start-Secret1');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const quickStart = quickStartModule(new URL('..', import.meta.url).pathname);
    cleanup.push(quickStart.remove);

    await import(quickStart.file);

    const order = emulator.state.orders.get(42);
    expect(order?.status).toBe('pending');
    expect(log).toHaveBeenCalledWith(`order ${order?.increment_id} is pending; 42 to handle`);
  });
});
