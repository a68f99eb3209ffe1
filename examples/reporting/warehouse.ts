/**
 * The reporting schema in PostgreSQL that a BI tool reads: orders and their lines from Adobe
 * Commerce, sales orders from NetSuite, one row per export run, and two views that join them.
 *
 * Every write is an upsert keyed by the source's id, so a batch written twice (a retry, a crash
 * after the write and before the checkpoint) leaves one row. A row is only replaced by a version
 * at least as new (`updated_at`), so a late replay never rolls a fact back; reconciliation
 * (`force`) overwrites whatever differs.
 */
import { createRequire } from 'node:module';

/** A `schema` option that is not a plain PostgreSQL identifier. */
export class ReportingSchemaError extends Error {
  readonly code = 'REPORTING_SCHEMA';
  readonly field = 'schema';
  constructor(value: string) {
    super(
      `schema must be a lower-case PostgreSQL identifier (letters, digits, _; at most 63), got ${JSON.stringify(value)}`,
    );
    this.name = 'ReportingSchemaError';
  }
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export interface OrderFact {
  orderId: number;
  incrementId: string;
  storeId: number | null;
  customerId: number | null;
  status: string;
  state: string | null;
  currency: string | null;
  grandTotal: number;
  subtotal: number | null;
  taxAmount: number | null;
  shippingAmount: number | null;
  discountAmount: number | null;
  createdAt: string;
  updatedAt: string;
  lines: OrderLineFact[];
}

export interface OrderLineFact {
  itemId: number;
  sku: string;
  name: string | null;
  qtyOrdered: number;
  qtyShipped: number;
  qtyInvoiced: number;
  qtyRefunded: number;
  qtyCanceled: number;
  price: number;
  rowTotal: number;
}

export interface ErpOrderFact {
  erpId: number;
  tranId: string | null;
  incrementId: string | null;
  status: string | null;
  total: number | null;
  createdAt: string | null;
  modifiedAt: string;
}

interface Queryable {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}
interface PoolClient extends Queryable {
  release(): void;
}
interface Pool extends Queryable {
  connect(): Promise<PoolClient>;
  end(): Promise<void>;
}

const SCHEMA_VERSION = 1;

function ddl(s: string): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.schema_version (version integer NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${s}.orders (
      order_id bigint PRIMARY KEY,
      increment_id text NOT NULL,
      store_id integer,
      customer_id bigint,
      status text NOT NULL,
      state text,
      currency text,
      grand_total numeric(16,4) NOT NULL,
      subtotal numeric(16,4),
      tax_amount numeric(16,4),
      shipping_amount numeric(16,4),
      discount_amount numeric(16,4),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      exported_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX IF NOT EXISTS orders_increment_id ON ${s}.orders (increment_id)`,
    `CREATE INDEX IF NOT EXISTS orders_created_at ON ${s}.orders (created_at)`,
    `CREATE TABLE IF NOT EXISTS ${s}.order_lines (
      order_id bigint NOT NULL REFERENCES ${s}.orders (order_id) ON DELETE CASCADE,
      item_id bigint NOT NULL,
      sku text NOT NULL,
      name text,
      qty_ordered numeric(16,4) NOT NULL,
      qty_shipped numeric(16,4) NOT NULL,
      qty_invoiced numeric(16,4) NOT NULL,
      qty_refunded numeric(16,4) NOT NULL,
      qty_canceled numeric(16,4) NOT NULL,
      price numeric(16,4) NOT NULL,
      row_total numeric(16,4) NOT NULL,
      PRIMARY KEY (order_id, item_id)
    )`,
    `CREATE INDEX IF NOT EXISTS order_lines_sku ON ${s}.order_lines (sku)`,
    `CREATE TABLE IF NOT EXISTS ${s}.erp_orders (
      erp_id bigint PRIMARY KEY,
      tran_id text,
      increment_id text,
      status text,
      total numeric(16,4),
      erp_created_at timestamptz,
      erp_modified_at timestamptz NOT NULL,
      exported_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX IF NOT EXISTS erp_orders_increment_id ON ${s}.erp_orders (increment_id)`,
    `CREATE TABLE IF NOT EXISTS ${s}.export_runs (
      run_id bigserial PRIMARY KEY,
      started_at timestamptz NOT NULL,
      finished_at timestamptz NOT NULL,
      orders_written integer NOT NULL,
      erp_orders_written integer NOT NULL,
      parked integer NOT NULL,
      reconciled_found integer NOT NULL,
      reconciled_left integer NOT NULL
    )`,
    `CREATE OR REPLACE VIEW ${s}.order_sync_status AS
      SELECT o.order_id, o.increment_id, o.status, o.grand_total, o.created_at,
             e.erp_id, e.tran_id, e.status AS erp_status, e.erp_created_at,
             e.erp_created_at - o.created_at AS sync_lag,
             CASE WHEN e.erp_id IS NULL THEN 'not in ERP' ELSE 'in ERP' END AS sync_state
        FROM ${s}.orders o
        LEFT JOIN ${s}.erp_orders e ON e.increment_id = o.increment_id`,
    `CREATE OR REPLACE VIEW ${s}.daily_sales AS
      SELECT date_trunc('day', created_at) AS day, currency, count(*) AS orders,
             sum(grand_total) AS revenue
        FROM ${s}.orders
       WHERE status <> 'canceled'
       GROUP BY 1, 2`,
  ];
}

export interface Warehouse {
  readonly schema: string;
  /**
   * Upserts orders and their lines in one transaction; a row is replaced only by a version at
   * least as new, unless `force`. Returns how many orders were written.
   */
  writeOrders(orders: OrderFact[], options?: { force?: boolean }): Promise<number>;
  writeErpOrders(orders: ErpOrderFact[], options?: { force?: boolean }): Promise<number>;
  /** Every order as stored, with its lines, for reconciliation. */
  readOrders(): Promise<Map<number, OrderFact>>;
  readErpOrders(): Promise<Map<number, ErpOrderFact>>;
  deleteOrders(orderIds: number[]): Promise<void>;
  deleteErpOrders(erpIds: number[]): Promise<void>;
  recordRun(run: {
    startedAt: Date;
    ordersWritten: number;
    erpOrdersWritten: number;
    parked: number;
    found: number;
    left: number;
  }): Promise<void>;
  /** Any read-only query (the README's example queries run through this in the test). */
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  /** Drops the schema and everything in it (tests). */
  drop(): Promise<void>;
  close(): Promise<void>;
}

function loadPg(): { Pool: new (config: { connectionString: string; max: number }) => Pool } {
  // pg is a dependency of the examples; its types are not installed, hence the plain require.
  return createRequire(import.meta.url)('pg');
}

/** Opens (and creates or upgrades) the reporting schema `schema` in the database at `url`. */
export async function openWarehouse(url: string, schema: string): Promise<Warehouse> {
  if (!IDENTIFIER.test(schema)) throw new ReportingSchemaError(schema);
  const pg = loadPg();
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  try {
    await migrate(pool, schema);
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return warehouseOn(pool, schema);
}

async function migrate(pool: Pool, s: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Two exporters starting together must not race on CREATE: one creates, the other waits.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`plumbline-reporting:${s}`]);
    for (const statement of ddl(s)) await client.query(statement);
    const { rows } = await client.query<{ version: number }>(
      `SELECT version FROM ${s}.schema_version`,
    );
    if (rows.length === 0) {
      await client.query(`INSERT INTO ${s}.schema_version (version) VALUES ($1)`, [SCHEMA_VERSION]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function inTransaction<T>(pool: Pool, body: (client: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await body(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

const ORDER_COLUMNS = [
  'order_id',
  'increment_id',
  'store_id',
  'customer_id',
  'status',
  'state',
  'currency',
  'grand_total',
  'subtotal',
  'tax_amount',
  'shipping_amount',
  'discount_amount',
  'created_at',
  'updated_at',
] as const;

const LINE_COLUMNS = [
  'order_id',
  'item_id',
  'sku',
  'name',
  'qty_ordered',
  'qty_shipped',
  'qty_invoiced',
  'qty_refunded',
  'qty_canceled',
  'price',
  'row_total',
] as const;

const ERP_COLUMNS = [
  'erp_id',
  'tran_id',
  'increment_id',
  'status',
  'total',
  'erp_created_at',
  'erp_modified_at',
] as const;

function orderValues(o: OrderFact): unknown[] {
  return [
    o.orderId,
    o.incrementId,
    o.storeId,
    o.customerId,
    o.status,
    o.state,
    o.currency,
    o.grandTotal,
    o.subtotal,
    o.taxAmount,
    o.shippingAmount,
    o.discountAmount,
    o.createdAt,
    o.updatedAt,
  ];
}

function lineValues(orderId: number, l: OrderLineFact): unknown[] {
  return [
    orderId,
    l.itemId,
    l.sku,
    l.name,
    l.qtyOrdered,
    l.qtyShipped,
    l.qtyInvoiced,
    l.qtyRefunded,
    l.qtyCanceled,
    l.price,
    l.rowTotal,
  ];
}

/** `($1, $2, …), ($n+1, …)` for `rows` rows of `width` parameters. */
function placeholders(rows: number, width: number): string {
  return Array.from(
    { length: rows },
    (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`,
  ).join(', ');
}

function upsertSql(
  table: string,
  columns: readonly string[],
  key: string,
  rows: number,
  newerOnly: string | undefined,
): string {
  const set = columns
    .filter((c) => c !== key)
    .map((c) => `${c} = EXCLUDED.${c}`)
    .concat('exported_at = now()')
    .join(', ');
  const where = newerOnly ? ` WHERE ${table}.${newerOnly} <= EXCLUDED.${newerOnly}` : '';
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${placeholders(rows, columns.length)}
    ON CONFLICT (${key}) DO UPDATE SET ${set}${where} RETURNING ${key}`;
}

const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
const iso = (value: unknown): string => new Date(value as string | Date).toISOString();

function warehouseOn(pool: Pool, s: string): Warehouse {
  return {
    schema: s,
    async writeOrders(orders, options = {}) {
      if (orders.length === 0) return 0;
      // One version per order in a batch: the newest wins (a page may repeat a row).
      const unique = [...new Map(orders.map((o) => [o.orderId, o])).values()];
      return inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ order_id: string }>(
          upsertSql(
            `${s}.orders`,
            ORDER_COLUMNS,
            'order_id',
            unique.length,
            options.force ? undefined : 'updated_at',
          ),
          unique.flatMap(orderValues),
        );
        const written = new Set(rows.map((r) => Number(r.order_id)));
        const replaced = unique.filter((o) => written.has(o.orderId));
        if (replaced.length === 0) return 0;
        await client.query(`DELETE FROM ${s}.order_lines WHERE order_id = ANY($1::bigint[])`, [
          replaced.map((o) => o.orderId),
        ]);
        const lines = replaced.flatMap((o) => o.lines.map((l) => lineValues(o.orderId, l)));
        // PostgreSQL takes at most 65,535 parameters a statement.
        const perStatement = Math.floor(60_000 / LINE_COLUMNS.length);
        for (let i = 0; i < lines.length; i += perStatement) {
          const chunk = lines.slice(i, i + perStatement);
          await client.query(
            `INSERT INTO ${s}.order_lines (${LINE_COLUMNS.join(', ')}) VALUES ${placeholders(chunk.length, LINE_COLUMNS.length)}`,
            chunk.flat(),
          );
        }
        return replaced.length;
      });
    },
    async writeErpOrders(orders, options = {}) {
      if (orders.length === 0) return 0;
      const unique = [...new Map(orders.map((o) => [o.erpId, o])).values()];
      const { rows } = await pool.query(
        upsertSql(
          `${s}.erp_orders`,
          ERP_COLUMNS,
          'erp_id',
          unique.length,
          options.force ? undefined : 'erp_modified_at',
        ),
        unique.flatMap((o) => [
          o.erpId,
          o.tranId,
          o.incrementId,
          o.status,
          o.total,
          o.createdAt,
          o.modifiedAt,
        ]),
      );
      return rows.length;
    },
    async readOrders() {
      const orders = new Map<number, OrderFact>();
      const { rows } = await pool.query<Record<string, unknown>>(
        `SELECT ${ORDER_COLUMNS.join(', ')} FROM ${s}.orders`,
      );
      for (const r of rows) {
        orders.set(num(r.order_id), {
          orderId: num(r.order_id),
          incrementId: String(r.increment_id),
          storeId: numOrNull(r.store_id),
          customerId: numOrNull(r.customer_id),
          status: String(r.status),
          state: (r.state as string | null) ?? null,
          currency: (r.currency as string | null) ?? null,
          grandTotal: num(r.grand_total),
          subtotal: numOrNull(r.subtotal),
          taxAmount: numOrNull(r.tax_amount),
          shippingAmount: numOrNull(r.shipping_amount),
          discountAmount: numOrNull(r.discount_amount),
          createdAt: iso(r.created_at),
          updatedAt: iso(r.updated_at),
          lines: [],
        });
      }
      const lines = await pool.query<Record<string, unknown>>(
        `SELECT ${LINE_COLUMNS.join(', ')} FROM ${s}.order_lines ORDER BY order_id, item_id`,
      );
      for (const r of lines.rows) {
        orders.get(num(r.order_id))?.lines.push({
          itemId: num(r.item_id),
          sku: String(r.sku),
          name: (r.name as string | null) ?? null,
          qtyOrdered: num(r.qty_ordered),
          qtyShipped: num(r.qty_shipped),
          qtyInvoiced: num(r.qty_invoiced),
          qtyRefunded: num(r.qty_refunded),
          qtyCanceled: num(r.qty_canceled),
          price: num(r.price),
          rowTotal: num(r.row_total),
        });
      }
      return orders;
    },
    async readErpOrders() {
      const { rows } = await pool.query<Record<string, unknown>>(
        `SELECT ${ERP_COLUMNS.join(', ')} FROM ${s}.erp_orders`,
      );
      return new Map(
        rows.map((r) => [
          num(r.erp_id),
          {
            erpId: num(r.erp_id),
            tranId: (r.tran_id as string | null) ?? null,
            incrementId: (r.increment_id as string | null) ?? null,
            status: (r.status as string | null) ?? null,
            total: numOrNull(r.total),
            createdAt: r.erp_created_at === null ? null : iso(r.erp_created_at),
            modifiedAt: iso(r.erp_modified_at),
          },
        ]),
      );
    },
    async deleteOrders(orderIds) {
      if (orderIds.length > 0) {
        await pool.query(`DELETE FROM ${s}.orders WHERE order_id = ANY($1::bigint[])`, [orderIds]);
      }
    },
    async deleteErpOrders(erpIds) {
      if (erpIds.length > 0) {
        await pool.query(`DELETE FROM ${s}.erp_orders WHERE erp_id = ANY($1::bigint[])`, [erpIds]);
      }
    },
    async recordRun(run) {
      await pool.query(
        `INSERT INTO ${s}.export_runs (started_at, finished_at, orders_written, erp_orders_written, parked, reconciled_found, reconciled_left)
         VALUES ($1, now(), $2, $3, $4, $5, $6)`,
        [
          run.startedAt.toISOString(),
          run.ordersWritten,
          run.erpOrdersWritten,
          run.parked,
          run.found,
          run.left,
        ],
      );
    },
    async query(text, values) {
      return (await pool.query(text, values)).rows as never[];
    },
    async drop() {
      await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    },
    close: () => pool.end(),
  };
}
