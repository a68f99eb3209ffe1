import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCheckpointStore, createDeadLetterList } from '@plumbline/sync-core';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSeed, TEST_SIZE } from '../shared/seed.js';
import { openStores, postgresUrl } from '../shared/stores.js';
import { startSystems } from '../shared/systems.js';
import { orderFact, ReportingSchemaError, run } from './index.js';
import { openWarehouse, type Warehouse } from './warehouse.js';

const here = dirname(fileURLToPath(import.meta.url));
const schemas: string[] = [];
const uniqueSchema = () => {
  const name = `plumbline_rep_t${process.pid}_${schemas.length}_${Date.now() % 100_000}`;
  schemas.push(name);
  return name;
};

afterAll(async () => {
  for (const schema of schemas) {
    const warehouse = await openWarehouse(postgresUrl(), schema);
    await warehouse.drop();
    await warehouse.close();
  }
});

/** The SQL blocks of the README, each run as a BI tool would against the test's schema. */
function readmeQueries(schema: string): string[] {
  const readme = readFileSync(join(here, 'README.md'), 'utf8');
  return [...readme.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) =>
    (m[1] as string).replaceAll('plumbline_reporting.', `${schema}.`),
  );
}

type Row = Record<string, unknown>;

describe('reporting', () => {
  it('exports every order, line and ERP order, then only what changed, and the README queries run', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE) });
    const stores = await openStores({ kind: 'memory', name: 'reporting' });
    const schema = uniqueSchema();
    let warehouse: Warehouse | undefined;
    try {
      const report = await run({ systems, stores, schema, activity: 4 });
      const d = report.details;
      expect(report.converged).toBe(true);
      const orders = [...systems.emulators!.commerce.state.orders.values()] as Row[];
      expect(d.initial.orders).toBe(orders.length);
      expect(d.tables.orders).toBe(orders.length);
      // The delta carried exactly the four orders invoiced in between: a cursor, not a re-export.
      expect(d.changed).toHaveLength(4);
      expect(d.delta.orders).toBe(4);
      expect(d.differences).toEqual([]);
      expect(report.reconciliation).toEqual({ found: 0, remaining: 0 });

      warehouse = await openWarehouse(postgresUrl(), schema);
      const stored = await warehouse.readOrders();
      for (const order of orders) {
        expect(stored.get(Number(order.entity_id))).toEqual(orderFact(order));
      }
      const invoiced = await warehouse.query<{ increment_id: string; invoiced: string }>(
        `SELECT o.increment_id, sum(l.qty_invoiced) AS invoiced FROM ${schema}.orders o
           JOIN ${schema}.order_lines l USING (order_id) WHERE o.increment_id = ANY($1) GROUP BY 1`,
        [d.changed],
      );
      expect(invoiced).toHaveLength(4);
      for (const row of invoiced) expect(Number(row.invoiced)).toBeGreaterThan(0);

      for (const sql of readmeQueries(schema)) {
        const rows = await warehouse.query(sql);
        expect(Array.isArray(rows)).toBe(true);
      }
      const [runs] = await warehouse.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${schema}.export_runs`,
      );
      expect(Number(runs?.n)).toBe(1);

      // With the cursors kept, a second run over quiet systems exports nothing again.
      const again = await run({ systems, stores, schema, activity: 0 });
      expect(again.converged).toBe(true);
      expect(again.details.initial).toEqual({ orders: 0, erpOrders: 0, parked: 0 });
      expect(again.details.delta.orders).toBe(0);
    } finally {
      await warehouse?.close();
      await stores.close();
      await systems.close();
    }
  });

  it('joins Commerce orders to the NetSuite sales orders the dual-write wrote', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE) });
    const schema = uniqueSchema();
    let warehouse: Warehouse | undefined;
    try {
      const { run: dualWrite } = await import('../dual-write-order/index.js');
      const written = await dualWrite({ systems, fulfilShare: 0.5 });
      expect(written.converged).toBe(true);
      // Small batches: the cursor commits many times, so a source not in change order loses rows.
      const report = await run({ systems, schema, activity: 0, batchSize: 5 });
      expect(report.converged).toBe(true);
      expect(report.reconciliation.found).toBe(0);
      expect(report.details.tables.erpOrders).toBeGreaterThan(0);
      warehouse = await openWarehouse(postgresUrl(), schema);
      const states = await warehouse.query<{ sync_state: string; n: string }>(
        `SELECT sync_state, count(*) AS n FROM ${schema}.order_sync_status GROUP BY 1`,
      );
      const inErp = states.find((s) => s.sync_state === 'in ERP');
      expect(Number(inErp?.n)).toBe(report.details.tables.erpOrders);
    } finally {
      await warehouse?.close();
      await systems.close();
    }
  });

  it('converges with faults injected', async () => {
    const size = { ...TEST_SIZE, orders: 300 };
    const systems = await startSystems({ seed: generateSeed(size), faults: true });
    try {
      // Small pages, so the run makes enough requests for the seeded faults to hit it.
      const report = await run({ systems, schema: uniqueSchema(), activity: 3, pageSize: 10 });
      expect(report.converged).toBe(true);
      expect(report.details.differences).toEqual([]);
      expect(report.details.tables.orders).toBe(systems.emulators!.commerce.state.orders.size);
      expect(systems.faultCount()).toBeGreaterThan(0);
    } finally {
      await systems.close();
    }
  });

  it('parks an order it cannot map, with the field and the problem, and stores hostile text as text', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE) });
    const stores = await openStores({ kind: 'memory', name: 'reporting' });
    const schema = uniqueSchema();
    let warehouse: Warehouse | undefined;
    try {
      const state = systems.emulators!.commerce.state;
      const [first] = [...state.orders.values()] as Row[];
      const maxId = Math.max(...[...state.orders.keys()].map(Number));
      const broken = { ...structuredClone(first), entity_id: maxId + 1, grand_total: 'n/a' };
      const hostileId = `x'); DROP TABLE ${schema}.orders; --<script>`;
      const hostile = { ...structuredClone(first), entity_id: maxId + 2, increment_id: hostileId };
      state.orders.set(maxId + 1, broken as never);
      state.orders.set(maxId + 2, hostile as never);

      const report = await run({ systems, stores, schema, activity: 0 });
      expect(report.converged).toBe(true);
      expect(report.details.initial.parked).toBe(1);
      const dead = createDeadLetterList<Row>({
        store: stores.kv,
        name: 'commerce-orders',
        namespace: 'reporting/dead',
      });
      const page = await dead.list();
      expect(page.entries).toHaveLength(1);
      expect(page.entries[0]?.reason.message).toBe('grand_total is not a number: "n/a"');
      expect(page.entries[0]?.reason.code).toBe('REPORTING_FACT');
      expect((page.entries[0]!.record as Row).entity_id).toBe(maxId + 1);

      warehouse = await openWarehouse(postgresUrl(), schema);
      const rows = await warehouse.query<{ increment_id: string }>(
        `SELECT increment_id FROM ${schema}.orders WHERE order_id = $1`,
        [maxId + 2],
      );
      expect(rows).toEqual([{ increment_id: hostileId }]);
    } finally {
      await warehouse?.close();
      await stores.close();
      await systems.close();
    }
  });

  it('reconciliation finds rows lost, tampered with or gone at the source, and re-drives them', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE) });
    const stores = await openStores({ kind: 'memory', name: 'reporting' });
    const schema = uniqueSchema();
    let warehouse: Warehouse | undefined;
    try {
      expect((await run({ systems, stores, schema, activity: 0 })).converged).toBe(true);
      warehouse = await openWarehouse(postgresUrl(), schema);
      const [a, b] = [...(await warehouse.readOrders()).values()];
      await warehouse.deleteOrders([a!.orderId]);
      await warehouse.query(`UPDATE ${schema}.orders SET grand_total = 0 WHERE order_id = $1`, [
        b!.orderId,
      ]);
      await warehouse.writeOrders([{ ...a!, orderId: 999_999, incrementId: 'GHOST' }]);

      const report = await run({ systems, stores, schema, activity: 0 });
      expect(report.converged).toBe(true);
      expect([...report.details.differences].sort()).toEqual(
        [
          `order ${a!.incrementId}: missing`,
          `order ${b!.incrementId}: stale`,
          'order GHOST: no longer at source',
        ].sort(),
      );
      expect(report.reconciliation).toEqual({ found: 3, remaining: 0 });
    } finally {
      await warehouse?.close();
      await stores.close();
      await systems.close();
    }
  });

  it('a replayed batch (the checkpoint lost after the write) leaves one row per order, never an older version', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE) });
    const stores = await openStores({ kind: 'memory', name: 'reporting' });
    const schema = uniqueSchema();
    let warehouse: Warehouse | undefined;
    try {
      const first = await run({ systems, stores, schema, activity: 2 });
      expect(first.converged).toBe(true);
      // As if the process died after PostgreSQL committed and before the cursor was saved.
      await createCheckpointStore({ store: stores.kv, namespace: 'reporting/cursor' }).reset(
        'commerce-orders',
      );
      const replay = await run({ systems, stores, schema, activity: 0 });
      expect(replay.details.initial.orders).toBe(systems.emulators!.commerce.state.orders.size);
      expect(replay.details.tables).toEqual(first.details.tables);
      expect(replay.reconciliation).toEqual({ found: 0, remaining: 0 });

      // A late copy of an older version does not roll the fact back.
      warehouse = await openWarehouse(postgresUrl(), schema);
      const [current] = [...(await warehouse.readOrders()).values()];
      const older = { ...current!, status: 'pending', updatedAt: '2001-01-01T00:00:00.000Z' };
      expect(await warehouse.writeOrders([older])).toBe(0);
      expect((await warehouse.readOrders()).get(current!.orderId)).toEqual(current);
    } finally {
      await warehouse?.close();
      await stores.close();
      await systems.close();
    }
  });

  it('refuses a schema name that is not a plain identifier, naming the option', async () => {
    await expect(openWarehouse(postgresUrl(), 'x; DROP SCHEMA public')).rejects.toBeInstanceOf(
      ReportingSchemaError,
    );
    await expect(openWarehouse(postgresUrl(), 'Bad-Name')).rejects.toMatchObject({
      field: 'schema',
      code: 'REPORTING_SCHEMA',
    });
  });
});
