import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { parseCommonFlags, UsageError } from './cli.js';
import { Progress } from './progress.js';
import { addConflict, addMoved, emptyReport, summaryTable } from './report.js';
import { DEMO_SIZE, generateSeed } from './seed.js';
import { parseStoreKind, StoreOptionError } from './stores.js';
import { startSystems } from './systems.js';

function sink(isTTY: boolean) {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    }),
    { isTTY, columns: 120 },
  );
  return { stream, text: () => text };
}

describe('seed data', () => {
  it('is realistic in size and the same for the same seed', () => {
    const seed = generateSeed(DEMO_SIZE);
    expect(seed.products).toHaveLength(400);
    expect(seed.customers).toHaveLength(300);
    expect(seed.orders).toHaveLength(3000);
    expect(new Set(seed.products.map((p) => p.sku)).size).toBe(400);
    expect(new Set(seed.customers.map((c) => c.email)).size).toBe(300);
    expect(new Set(seed.orders.map((o) => o.incrementId)).size).toBe(3000);
    expect(generateSeed(DEMO_SIZE)).toEqual(seed);
    expect(generateSeed(DEMO_SIZE, 7).customers[0]).not.toEqual(seed.customers[0]);
    // A few items are nearly sold out, for the last-unit checkout path.
    expect(seed.products.filter((p) => p.quantity <= 3).length).toBeGreaterThan(5);
  });
});

describe('summary table', () => {
  it('totals every column and says NO when any pattern did not converge', () => {
    const a = emptyReport('a');
    addMoved(a, 'netsuite', 3);
    addConflict(a, 'ownership', 2);
    a.converged = true;
    const b = emptyReport('b');
    addMoved(b, 'netsuite', 4);
    addMoved(b, 'commerce');
    addConflict(b, 'ownership');
    b.echoesSuppressed = 5;
    const table = summaryTable([a, b]);
    const total = table.split('\n').find((line) => line.startsWith('| total'))!;
    expect(total.split('|').map((c) => c.trim())).toEqual([
      '',
      'total',
      '1',
      '7',
      '0',
      'ownership 3',
      '5',
      '0/0',
      '0/0',
      'NO',
      '0.0s',
      '',
    ]);
    b.converged = true;
    expect(summaryTable([a, b])).toMatch(/\| total .*\| +yes \|/);
  });
});

describe('progress display', () => {
  it('prints one line a finished task when not on a terminal', () => {
    const out = sink(false);
    const progress = new Progress({ stream: out.stream });
    const task = progress.task('orders', 3);
    task.tick(3);
    task.done('3 written');
    progress.stop();
    expect(out.text()).toMatch(/✔ orders .*3\/3 .*3 written\n$/);
  });

  it('redraws in place on a terminal', () => {
    const out = sink(true);
    const progress = new Progress({ stream: out.stream, intervalMs: 1 });
    const a = progress.task('a', 2);
    a.done();
    const b = progress.task('b');
    b.tick();
    b.done();
    progress.stop();
    expect(out.text()).toContain('\x1b[');
    expect(out.text()).toMatch(/✔ b /);
  });

  it('is silent without a stream, yet still counts', () => {
    const stdout = vi.spyOn(process.stdout, 'write');
    const stderr = vi.spyOn(process.stderr, 'write');
    try {
      const progress = new Progress();
      const task = progress.task('x', 5);
      task.tick(2);
      task.tick();
      expect(task.count).toBe(3);
      task.done('finished');
      progress.log('hello');
      progress.stop();
      expect(stdout).not.toHaveBeenCalled();
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  });
});

describe('command line', () => {
  it('parses the shared flags and names a bad one', () => {
    expect(parseCommonFlags(['--faults', '--store', 'postgres'])).toMatchObject({
      faults: true,
      store: 'postgres',
    });
    expect(parseCommonFlags([]).store).toBe('sqlite');
    expect(() => parseStoreKind('mongodb')).toThrow(StoreOptionError);
    expect(() => parseStoreKind('mongodb')).toThrow(
      /--store must be one of memory, sqlite, postgres/,
    );
    expect(() => parseCommonFlags(['--seed', 'x'])).toThrow(UsageError);
    expect(() => parseCommonFlags(['--nope'])).toThrow(/usage:/);
  });
});

describe('systems from the environment', () => {
  const seed = generateSeed({ products: 1, customers: 1, orders: 0 });
  const real = {
    PLUMBLINE_COMMERCE_URL: 'https://shop.example.com',
    PLUMBLINE_COMMERCE_TOKEN: 'commerce-secret-token-123',
    PLUMBLINE_NETSUITE_ACCOUNT: '1234567_SB1',
    PLUMBLINE_NETSUITE_CONSUMER_KEY: 'ns-consumer-key',
    PLUMBLINE_NETSUITE_CONSUMER_SECRET: 'ns-consumer-secret-456',
    PLUMBLINE_NETSUITE_TOKEN_ID: 'ns-token-id',
    PLUMBLINE_NETSUITE_TOKEN_SECRET: 'ns-token-secret-789',
    PLUMBLINE_SALESFORCE_URL: 'https://acme.my.salesforce.com',
    PLUMBLINE_SALESFORCE_TOKEN: '00Dsalesforce-secret-token',
  };

  it('names the missing variables when real endpoints are half configured', async () => {
    await expect(
      startSystems({ seed, env: { PLUMBLINE_COMMERCE_URL: 'https://shop.example.com' } }),
    ).rejects.toThrow(/missing PLUMBLINE_COMMERCE_TOKEN, PLUMBLINE_NETSUITE_ACCOUNT/);
  });

  it('uses real endpoints when all are set, and describes them without secrets', async () => {
    const systems = await startSystems({ seed, env: real });
    try {
      expect(systems.mode).toBe('real');
      expect(systems.emulators).toBeUndefined();
      const text = systems.describe().join('\n');
      expect(text).toContain('https://shop.example.com');
      expect(text).toContain('real endpoint');
      for (const secret of [
        real.PLUMBLINE_COMMERCE_TOKEN,
        real.PLUMBLINE_NETSUITE_CONSUMER_SECRET,
        real.PLUMBLINE_NETSUITE_TOKEN_SECRET,
        real.PLUMBLINE_SALESFORCE_TOKEN,
      ]) {
        expect(text).not.toContain(secret);
      }
    } finally {
      await systems.close();
    }
  });
});
