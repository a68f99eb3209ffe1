import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rabbitmqQueueStore } from '@plumbline/sync-core/rabbitmq';
import { describe, expect, it } from 'vitest';
import { generateSeed, TEST_SIZE } from '../shared/seed.js';
import { dropPostgresState, openStores } from '../shared/stores.js';
import { startSystems } from '../shared/systems.js';
import { type MiddlewareReport, run } from './index.js';

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function expectConverged(
  report: MiddlewareReport,
  orders: number,
  burst: number,
  customers: number,
) {
  const d = report.details;
  expect(report.converged).toBe(true);
  expect(d.forgeriesRefused).toBe(1);
  expect(d.duplicates).toBe(1);
  expect(d.salesOrders).toBe(orders + burst);
  expect(d.duplicateSalesOrders).toBe(0);
  expect(d.customersInNetSuite).toBe(customers);
  expect(d.customersInSalesforce).toBe(customers);
}

describe('middleware-service', () => {
  it('acknowledges signed deliveries at once, syncs NetSuite and Salesforce, and hands work over on shutdown (SQLite)', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'plumbline-mw-'));
    try {
      const report = await run({ store: 'sqlite', stateDir, orders: 12, customers: 4, burst: 8 });
      expectConverged(report, 12, 8, 4);
      // Acknowledgements never wait for NetSuite or Salesforce.
      expect(report.details.ackMsMax).toBeLessThan(1000);
      expect(report.details.firstShutdown.pending).toBeGreaterThanOrEqual(0);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('loses and duplicates nothing with faults injected', async () => {
    const systems = await startSystems({
      seed: generateSeed(TEST_SIZE),
      faults: true,
      faultSeed: 9,
    });
    try {
      const report = await run({ systems, orders: 10, customers: 3, burst: 6 });
      expectConverged(report, 10, 6, 3);
      expect(systems.faultCount()).toBeGreaterThan(0);
    } finally {
      await systems.close();
    }
  });

  it('runs with PostgreSQL state and the queue on RabbitMQ', async () => {
    const [pg, amqp] = await Promise.all([reachable(5432), reachable(5672)]);
    if (!pg || !amqp) {
      const message = `PostgreSQL (${pg ? 'up' : 'down'}) and RabbitMQ (${amqp ? 'up' : 'down'}) are needed for this test`;
      if (process.env.PLUMBLINE_REQUIRE_SERVICES === '1') throw new Error(message);
      console.warn(`skipped: ${message}`);
      return;
    }
    // A name of its own, so concurrent test runs never share tables; dropped afterwards.
    const name = `mwtest_${process.pid}_${Date.now().toString(36)}`;
    const stores = await openStores({ kind: 'postgres', name, fresh: true });
    const queueStore = rabbitmqQueueStore(
      process.env.PLUMBLINE_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
      {
        prefix: `plumbline_mwtest_${Date.now().toString(36)}_`,
      },
    );
    try {
      const report = await run({ stores, queueStore, orders: 8, customers: 3, burst: 6 });
      expectConverged(report, 8, 6, 3);
    } finally {
      await queueStore.deleteQueue('middleware-jobs').catch(() => {});
      await queueStore.close();
      await stores.close();
      await dropPostgresState(name);
    }
  });
});
