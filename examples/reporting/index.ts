/**
 * reporting: order and sync facts exported incrementally into a PostgreSQL reporting schema that
 * a BI tool reads (Metabase, Power BI, Looker, a plain `psql`).
 *
 * Two delta exports run through sync-core's runner, each with its own cursor: Adobe Commerce
 * orders (with their lines) by `updated_at`, and NetSuite sales orders by `lastmodifieddate`.
 * Every write is an upsert, and the cursor moves only after PostgreSQL committed the batch, so a
 * crash or a retry never loses or doubles a fact. A record that cannot be mapped is parked in a
 * durable dead-letter list with its reason. A full reconciliation then compares every order in
 * both systems with the reporting tables and re-drives what differs (missing, stale or deleted).
 */
import { type CommerceClient, formatMagentoDate, paginate } from '@plumbline/commerce-client';
import { type NetSuiteClient, suiteql, suiteqlRows } from '@plumbline/erp-netsuite';
import {
  type CheckpointStore,
  canonicalJson,
  createCheckpointStore,
  createDeadLetterList,
  createRunner,
  type DeadLetterList,
} from '@plumbline/sync-core';
import { isMain } from '../shared/cli.js';
import { type ExampleContext, type ExampleOptions, withContext } from '../shared/context.js';
import { runPatternCli } from '../shared/pattern-cli.js';
import { addMoved, emptyReport, type PatternReport } from '../shared/report.js';
import { postgresUrl } from '../shared/stores.js';
import { isTransient, retryTransient } from '../shared/transient.js';
import {
  type ErpOrderFact,
  type OrderFact,
  type OrderLineFact,
  openWarehouse,
  type Warehouse,
} from './warehouse.js';

export { ReportingSchemaError } from './warehouse.js';

export interface ReportingOptions extends ExampleOptions {
  /** The PostgreSQL schema the facts go to (default `plumbline_reporting`). */
  schema?: string;
  /** The database (default `PLUMBLINE_PG_URL`, else the local `test` database). */
  databaseUrl?: string;
  /** Orders invoiced in Commerce between the two exports, to show the delta (default 5). */
  activity?: number;
  /** Commerce orders a page, in the exports and in reconciliation (default 200). */
  pageSize?: number;
  /** Records a batch (a PostgreSQL transaction and a cursor commit) in the exports (default 200). */
  batchSize?: number;
}

export interface ExportPass {
  orders: number;
  erpOrders: number;
  parked: number;
}

export interface ReportingReport extends PatternReport {
  details: {
    schema: string;
    initial: ExportPass;
    delta: ExportPass;
    /** Orders changed in Commerce between the exports (each must come again in the delta). */
    changed: string[];
    /** What reconciliation found different, by kind, before re-driving. */
    differences: string[];
    /** Orders and lines in the reporting tables at the end. */
    tables: { orders: number; lines: number; erpOrders: number };
  };
}

type Row = Record<string, unknown>;

/** Magento and NetSuite's `YYYY-MM-DD HH:MM:SS` (UTC) as ISO-8601. */
function isoOf(text: unknown, field: string): string {
  const value = String(text ?? '');
  const time = Date.parse(
    /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(' ', 'T')}Z` : value,
  );
  if (!Number.isFinite(time)) throw new FactError(field, `is not a date: ${JSON.stringify(value)}`);
  return new Date(time).toISOString();
}

/** A source record that cannot become a fact: names the field and the problem. */
export class FactError extends Error {
  readonly code = 'REPORTING_FACT';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field} ${problem}`);
    this.name = 'FactError';
  }
}

/** The reporting tables keep 4 decimals; round the same way so comparisons are exact. */
function amount(value: unknown, field: string, required = true): number {
  if ((value === undefined || value === null || value === '') && !required) return 0;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new FactError(field, `is not a number: ${JSON.stringify(value)}`);
  return Math.round(n * 10_000) / 10_000;
}

function optionalAmount(value: unknown, field: string): number | null {
  return value === undefined || value === null || value === '' ? null : amount(value, field);
}

function optionalInt(value: unknown): number | null {
  const n = Number(value);
  return value === undefined || value === null || !Number.isInteger(n) ? null : n;
}

/** A Commerce order as a fact; throws FactError (the runner parks the order) when it cannot. */
export function orderFact(order: Row): OrderFact {
  const orderId = Number(order.entity_id);
  if (!Number.isInteger(orderId)) throw new FactError('entity_id', 'is not an integer');
  const incrementId = String(order.increment_id ?? '');
  if (incrementId === '') throw new FactError('increment_id', 'is missing');
  const items = (order.items ?? []) as Row[];
  // A configurable's child line repeats its parent's quantities: report the parent line only.
  const lines: OrderLineFact[] = items
    .filter((item) => item.parent_item_id === undefined || item.parent_item_id === null)
    .map((item, i) => ({
      itemId: Number(item.item_id ?? i + 1),
      sku: String(item.sku ?? ''),
      name: item.name === undefined ? null : String(item.name),
      qtyOrdered: amount(item.qty_ordered, `items[${i}].qty_ordered`),
      qtyShipped: amount(item.qty_shipped, `items[${i}].qty_shipped`, false),
      qtyInvoiced: amount(item.qty_invoiced, `items[${i}].qty_invoiced`, false),
      qtyRefunded: amount(item.qty_refunded, `items[${i}].qty_refunded`, false),
      qtyCanceled: amount(item.qty_canceled, `items[${i}].qty_canceled`, false),
      price: amount(item.price, `items[${i}].price`, false),
      rowTotal: amount(item.row_total, `items[${i}].row_total`, false),
    }));
  return {
    orderId,
    incrementId,
    storeId: optionalInt(order.store_id),
    customerId: optionalInt(order.customer_id),
    status: String(order.status ?? ''),
    state: order.state === undefined ? null : String(order.state),
    currency: order.order_currency_code === undefined ? null : String(order.order_currency_code),
    grandTotal: amount(order.grand_total, 'grand_total'),
    subtotal: optionalAmount(order.subtotal, 'subtotal'),
    taxAmount: optionalAmount(order.tax_amount, 'tax_amount'),
    shippingAmount: optionalAmount(order.shipping_amount, 'shipping_amount'),
    discountAmount: optionalAmount(order.discount_amount, 'discount_amount'),
    createdAt: isoOf(order.created_at, 'created_at'),
    updatedAt: isoOf(order.updated_at, 'updated_at'),
    lines: lines.sort((a, b) => a.itemId - b.itemId),
  };
}

interface ErpRow {
  id: string;
  tranid: string | null;
  otherrefnum: string | null;
  status: string | null;
  total: string | null;
  created: string | null;
  modified: string;
}

export function erpOrderFact(row: ErpRow): ErpOrderFact {
  const erpId = Number(row.id);
  if (!Number.isInteger(erpId)) throw new FactError('id', 'is not an integer');
  return {
    erpId,
    tranId: row.tranid ?? null,
    incrementId: row.otherrefnum ?? null,
    status: row.status ?? null,
    total: optionalAmount(row.total, 'total'),
    createdAt: row.created ? isoOf(row.created, 'datecreated') : null,
    modifiedAt: isoOf(row.modified, 'lastmodifieddate'),
  };
}

// ---- reading the sources ----

function commerceOrders(commerce: CommerceClient, since: Date | undefined, pageSize = 200) {
  return paginate(commerce, '/V1/orders', {
    pageSize,
    ...(since
      ? {
          criteria: {
            filter_groups: [
              {
                filters: [
                  { field: 'updated_at', value: formatMagentoDate(since), condition_type: 'gteq' },
                ],
              },
            ],
          },
        }
      : {}),
    keyset: { field: 'updated_at', tieBreaker: 'entity_id' },
  }) as AsyncIterable<Row>;
}

const ERP_COLUMNS = `id, tranid, otherrefnum, status, total,
  TO_CHAR(datecreated, 'YYYY-MM-DD HH24:MI:SS') AS created,
  TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS modified`;

/**
 * Sales orders in change order (`lastmodifieddate`, then `id`): the cursor moves to the newest
 * change of each batch, so a source in any other order would hide older changes of later batches.
 */
function erpOrders(netsuite: NetSuiteClient, since: Date | undefined) {
  const query = since
    ? suiteql`SELECT ${suiteql.raw(ERP_COLUMNS)} FROM transaction WHERE type = 'SalesOrd' AND lastmodifieddate >= TO_DATE(${formatMagentoDate(since)}, 'YYYY-MM-DD HH24:MI:SS') ORDER BY lastmodifieddate, id`
    : suiteql`SELECT ${suiteql.raw(ERP_COLUMNS)} FROM transaction WHERE type = 'SalesOrd' ORDER BY lastmodifieddate, id`;
  return suiteqlRows<ErpRow>(netsuite, query);
}

// ---- the two delta exports ----

interface Exporters {
  checkpoints: CheckpointStore;
  orders: DeadLetterList<Row>;
  erp: DeadLetterList<ErpRow>;
}

/**
 * Runs a runner to the end, resuming from its checkpoint after a transient failure of a source
 * (a read the transport gave up on): what was confirmed stays confirmed.
 */
async function runToEnd(run: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await run();
      return;
    } catch (error) {
      if (attempt >= 6 || !isTransient(error)) throw error;
    }
  }
}

async function exportOnce(
  ctx: ExampleContext,
  warehouse: Warehouse,
  exporters: Exporters,
  pageSize: number,
  batchSize: number,
): Promise<ExportPass> {
  const task = ctx.progress.task(`reporting: export to ${warehouse.schema}`);
  // Counted as PostgreSQL confirms and as the lists store, so a resumed run adds up right.
  const pass: ExportPass = { orders: 0, erpOrders: 0, parked: 0 };
  const counted = <R>(list: DeadLetterList<R>) => ({
    async park(record: R, reason: Parameters<DeadLetterList<R>['park']>[1]) {
      await list.park(record, reason);
      pass.parked++;
    },
  });
  await runToEnd(() =>
    createRunner<Row, OrderFact>({
      source: ({ window }) => commerceOrders(ctx.systems.commerce, window?.since, pageSize),
      transform: orderFact,
      sink: async (batch) => {
        await warehouse.writeOrders(batch);
        pass.orders += batch.length;
        task.tick(batch.length);
      },
      batchSize,
      concurrency: 1,
      cursor: {
        checkpoints: exporters.checkpoints,
        name: 'commerce-orders',
        options: {
          updatedAt: (row) => isoOf(row.updated_at, 'updated_at'),
          id: (row) => Number(row.entity_id),
        },
      },
      deadLetter: counted(exporters.orders),
      // A failed PostgreSQL write stops the run (the checkpoint stays before it): parking good
      // orders because the warehouse was down would be wrong.
      sinkErrors: 'fail',
    }).run(),
  );
  await runToEnd(() =>
    createRunner<ErpRow, ErpOrderFact>({
      source: ({ window }) => erpOrders(ctx.systems.netsuite, window?.since),
      transform: erpOrderFact,
      sink: async (batch) => {
        await warehouse.writeErpOrders(batch);
        pass.erpOrders += batch.length;
        task.tick(batch.length);
      },
      batchSize,
      concurrency: 1,
      cursor: {
        checkpoints: exporters.checkpoints,
        name: 'netsuite-sales-orders',
        options: {
          updatedAt: (row) => isoOf(row.modified, 'lastmodifieddate'),
          id: (row) => Number(row.id),
        },
      },
      deadLetter: counted(exporters.erp),
      sinkErrors: 'fail',
    }).run(),
  );
  task.done();
  return pass;
}

// ---- activity between the exports, and reconciliation ----

/** Magento's timestamps have whole seconds: changes made after this land in a later second. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1050 - (Date.now() % 1000)));

/** Invoices `count` orders that have nothing invoiced yet; returns their increment ids. */
async function invoiceSome(ctx: ExampleContext, count: number): Promise<string[]> {
  const { commerce } = ctx.systems;
  const chosen: Row[] = [];
  if (count <= 0) return [];
  for await (const order of commerceOrders(commerce, undefined)) {
    const items = (order.items ?? []) as Row[];
    const open =
      ['pending', 'processing'].includes(String(order.status)) &&
      items.every((i) => Number(i.qty_invoiced ?? 0) === 0);
    if (open) chosen.push(order);
    if (chosen.length >= count) break;
  }
  const invoiced = (id: number) => async () => {
    const { data } = await commerce.GET('/V1/orders/{id}', { params: { path: { id } } });
    const items = ((data as Row | undefined)?.items ?? []) as Row[];
    return items.some((i) => Number(i.qty_invoiced ?? 0) > 0) ? true : undefined;
  };
  for (const order of chosen) {
    const id = Number(order.entity_id);
    // Invoicing is not safe to repeat: before a retry, ask whether the lost answer was a success.
    await retryTransient(
      async () => {
        await commerce.POST('/V1/order/{orderId}/invoice', {
          params: { path: { orderId: id } },
          body: { capture: true, notify: false },
        });
        return true;
      },
      { alreadyDone: invoiced(id) },
    );
  }
  return chosen.map((o) => String(o.increment_id));
}

interface Reconciliation {
  differences: string[];
  left: number;
}

/** Compares every order of both systems with the tables; re-drives (force-writes) what differs. */
async function reconcile(
  ctx: ExampleContext,
  warehouse: Warehouse,
  pageSize: number,
): Promise<Reconciliation> {
  const task = ctx.progress.task('reporting: reconcile');
  const source = new Map<number, OrderFact>();
  for await (const order of paginate(ctx.systems.commerce, '/V1/orders', {
    pageSize,
    keyset: { field: 'entity_id' },
  })) {
    try {
      const fact = orderFact(order as Row);
      source.set(fact.orderId, fact);
    } catch {
      // Unmappable orders are in the dead-letter list, not in the tables: nothing to compare.
    }
  }
  const erpSource = new Map<number, ErpOrderFact>();
  for await (const row of erpOrders(ctx.systems.netsuite, undefined)) {
    const fact = erpOrderFact(row);
    erpSource.set(fact.erpId, fact);
  }
  const [stored, erpStored] = await Promise.all([
    warehouse.readOrders(),
    warehouse.readErpOrders(),
  ]);
  const differences: string[] = [];
  const stale = diff(source, stored, (o) => `order ${o.incrementId}`, differences);
  const erpStale = diff(erpSource, erpStored, (o) => `ERP order ${o.erpId}`, differences);
  await warehouse.writeOrders(stale.write, { force: true });
  await warehouse.deleteOrders(stale.remove);
  await warehouse.writeErpOrders(erpStale.write, { force: true });
  await warehouse.deleteErpOrders(erpStale.remove);
  // Read back once more: what still differs after re-driving is left over.
  const [after, erpAfter] = await Promise.all([warehouse.readOrders(), warehouse.readErpOrders()]);
  const left =
    diff(source, after, () => '', []).write.length +
    diff(source, after, () => '', []).remove.length +
    diff(erpSource, erpAfter, () => '', []).write.length +
    diff(erpSource, erpAfter, () => '', []).remove.length;
  task.done();
  return { differences, left };
}

function diff<T>(
  source: Map<number, T>,
  stored: Map<number, T>,
  label: (fact: T) => string,
  differences: string[],
): { write: T[]; remove: number[] } {
  const write: T[] = [];
  for (const [id, fact] of source) {
    const have = stored.get(id);
    if (have === undefined) differences.push(`${label(fact)}: missing`);
    else if (canonicalJson(have) !== canonicalJson(fact)) differences.push(`${label(fact)}: stale`);
    else continue;
    write.push(fact);
  }
  const remove = [...stored.keys()].filter((id) => !source.has(id));
  for (const id of remove) differences.push(`${label(stored.get(id) as T)}: no longer at source`);
  return { write, remove };
}

// ---- the program ----

export async function run(options: ReportingOptions = {}): Promise<ReportingReport> {
  return withContext('reporting', options, {}, async (ctx) => {
    const started = new Date();
    const report = emptyReport('reporting') as ReportingReport;
    const warehouse = await openWarehouse(
      options.databaseUrl ?? postgresUrl(),
      options.schema ?? 'plumbline_reporting',
    );
    try {
      const kv = ctx.stores.kv;
      const exporters: Exporters = {
        checkpoints: createCheckpointStore({ store: kv, namespace: 'reporting/cursor' }),
        orders: createDeadLetterList<Row>({
          store: kv,
          name: 'commerce-orders',
          namespace: 'reporting/dead',
          key: (order) => String(order.entity_id ?? ''),
        }),
        erp: createDeadLetterList<ErpRow>({
          store: kv,
          name: 'netsuite-sales-orders',
          namespace: 'reporting/dead',
          key: (row) => String(row.id ?? ''),
        }),
      };
      const pageSize = options.pageSize ?? 200;
      const batchSize = options.batchSize ?? 200;
      const initial = await exportOnce(ctx, warehouse, exporters, pageSize, batchSize);
      await nextSecond();
      const changed = await invoiceSome(ctx, options.activity ?? 5);
      addMoved(report, 'commerce', changed.length);
      const delta = await exportOnce(ctx, warehouse, exporters, pageSize, batchSize);
      const { differences, left } = await reconcile(ctx, warehouse, pageSize);
      report.reconciliation = { found: differences.length, remaining: left };
      const [counts] = await warehouse.query<{ orders: string; lines: string; erp: string }>(
        `SELECT (SELECT count(*) FROM ${warehouse.schema}.orders) AS orders,
                (SELECT count(*) FROM ${warehouse.schema}.order_lines) AS lines,
                (SELECT count(*) FROM ${warehouse.schema}.erp_orders) AS erp`,
      );
      const tables = {
        orders: Number(counts?.orders),
        lines: Number(counts?.lines),
        erpOrders: Number(counts?.erp),
      };
      const parked = initial.parked + delta.parked;
      await warehouse.recordRun({
        startedAt: started,
        ordersWritten: initial.orders + delta.orders,
        erpOrdersWritten: initial.erpOrders + delta.erpOrders,
        parked,
        found: differences.length,
        left,
      });
      report.details = { schema: warehouse.schema, initial, delta, changed, differences, tables };
      // The delta carried at least every order changed in between (never a full re-export).
      report.converged = left === 0 && delta.orders >= changed.length;
      report.notes.push(
        `${tables.orders} orders, ${tables.lines} lines and ${tables.erpOrders} ERP orders in schema ${warehouse.schema}`,
        `delta export: ${delta.orders} orders re-exported after ${changed.length} changed`,
        `${parked} records parked, reconciliation found ${differences.length}, left ${left}`,
      );

      report.durationMs = Date.now() - started.getTime();
      return report;
    } finally {
      await warehouse.close();
    }
  });
}

if (isMain(import.meta.url)) {
  runPatternCli(run, {}, (report) => report.details.differences.slice(0, 20));
}
