/**
 * catalog-sync: NetSuite (standing in for the ERP or a PIM) owns the catalog. An initial load
 * pushes every item to Adobe Commerce with the asynchronous bulk API; afterwards only records whose
 * content hash changed are pushed. Products are read-only in Commerce: an edit made in the Commerce
 * admin is detected as drift on the next run and overwritten from the source.
 */
import { paginate, runBulk } from '@plumbline/commerce-client';
import { suiteql, suiteqlRows, updateRecord } from '@plumbline/erp-netsuite';
import { createHashStore, type HashStore, sameContent } from '@plumbline/sync-core';
import { isMain } from '../shared/cli.js';
import { type ExampleContext, type ExampleOptions, withContext } from '../shared/context.js';
import { runPatternCli } from '../shared/pattern-cli.js';
import {
  type CommerceProductFields,
  commerceProductBody,
  commerceProductFromItem,
  type ItemRow,
  productFieldsFromCommerce,
} from '../shared/records.js';
import { addMoved, emptyReport, type PatternReport } from '../shared/report.js';
import { seededRandom } from '../shared/seed.js';
import { retryTransient } from '../shared/transient.js';

export interface CatalogOptions extends ExampleOptions {
  /** Items changed in the ERP between the initial load and the delta run (default 12). */
  erpEdits?: number;
  /** Products edited by hand in the Commerce admin (drift) before the delta run (default 3). */
  adminEdits?: number;
}

export interface SyncPass {
  products: number;
  pushed: number;
  changedAtSource: number;
  driftCorrected: number;
  unchanged: number;
  stockPushed: number;
  failed: { sku: string; message: string }[];
}

export interface CatalogReport extends PatternReport {
  details: {
    initial: SyncPass;
    delta: SyncPass;
    erpEdited: string[];
    adminEdited: string[];
    mismatches: string[];
  };
}

interface SourceItem extends ItemRow {
  id: string;
  quantityonhand?: string | null;
}

const BULK_WAIT = { minDelayMs: 10, maxDelayMs: 200, timeoutMs: 120_000 };

async function readErp(ctx: ExampleContext): Promise<SourceItem[]> {
  const rows: SourceItem[] = [];
  for await (const row of suiteqlRows<SourceItem>(
    ctx.systems.netsuite,
    suiteql`SELECT id, itemid, displayname, salesdescription, baseprice, weight, custitem_category, quantityonhand FROM item ORDER BY id`,
  )) {
    rows.push(row);
  }
  return rows;
}

async function readCommerce(ctx: ExampleContext) {
  const products = new Map<string, CommerceProductFields>();
  for await (const product of paginate(ctx.systems.commerce, '/V1/products', {
    pageSize: 300,
  })) {
    products.set(
      String(product.sku),
      productFieldsFromCommerce(product as Record<string, unknown>),
    );
  }
  const stock = new Map<string, number>();
  for await (const item of paginate(ctx.systems.commerce, '/V1/inventory/source-items', {
    pageSize: 300,
  })) {
    if (item.source_code === 'default') stock.set(String(item.sku), Number(item.quantity));
  }
  return { products, stock };
}

/** One pass: hash the mapped ERP records, compare with Commerce, push what changed. */
async function syncOnce(ctx: ExampleContext, hashes: HashStore, label: string): Promise<SyncPass> {
  const task = ctx.progress.task(`catalog: ${label}`);
  const [erp, commerce] = await Promise.all([readErp(ctx), readCommerce(ctx)]);
  const pass: SyncPass = {
    products: erp.length,
    pushed: 0,
    changedAtSource: 0,
    driftCorrected: 0,
    unchanged: 0,
    stockPushed: 0,
    failed: [],
  };
  const toPush: CommerceProductFields[] = [];
  const stockToPush: { sku: string; quantity: number }[] = [];
  for (const row of erp) {
    const desired = commerceProductFromItem(row);
    const current = commerce.products.get(desired.sku);
    if (await hashes.changed('product', desired.sku, desired)) {
      pass.changedAtSource++;
      toPush.push(desired);
    } else if (!current || !sameContent(current, desired, { numericStrings: true })) {
      // Unchanged at the source but different in Commerce: someone edited it there.
      pass.driftCorrected++;
      toPush.push(desired);
    } else {
      pass.unchanged++;
    }
    const qty = Math.max(0, Math.floor(Number(row.quantityonhand ?? 0)));
    if (commerce.stock.get(desired.sku) !== qty)
      stockToPush.push({ sku: desired.sku, quantity: qty });
  }
  task.total(toPush.length);
  if (toPush.length > 0) {
    // Saving a product is idempotent (the same body gives the same product), so a failed bulk
    // submission may be sent again as a whole.
    const result = await retryTransient(() =>
      runBulk(ctx.systems.commerce, {
        path: '/V1/products',
        items: toPush,
        toBody: (fields) => ({ product: commerceProductBody(fields) }),
        chunkSize: 100,
        ...BULK_WAIT,
        onProgress: (p) => task.note(`bulk ${p.complete}/${p.total}`),
      }),
    );
    for (const item of result.results) {
      if (item.status === 'complete') {
        await hashes.record('product', item.item.sku, item.item);
        pass.pushed++;
      } else {
        pass.failed.push({ sku: item.item.sku, message: item.message ?? item.status });
      }
      task.tick();
    }
  }
  if (stockToPush.length > 0) {
    const result = await retryTransient(() =>
      runBulk(ctx.systems.commerce, {
        path: '/V1/inventory/source-items',
        items: stockToPush,
        toBody: (s) => ({
          sourceItems: [
            {
              sku: s.sku,
              source_code: 'default',
              quantity: s.quantity,
              status: s.quantity > 0 ? 1 : 0,
            },
          ],
        }),
        chunkSize: 200,
        ...BULK_WAIT,
      }),
    );
    pass.stockPushed = result.succeeded;
    for (const item of result.results) {
      if (item.status !== 'complete') {
        pass.failed.push({ sku: item.item.sku, message: `stock: ${item.message ?? item.status}` });
      }
    }
  }
  task.done(
    `${pass.pushed} pushed (${pass.changedAtSource} changed at source, ${pass.driftCorrected} drift), ${pass.unchanged} unchanged, ${pass.stockPushed} stock`,
  );
  return pass;
}

export async function run(options: CatalogOptions = {}): Promise<CatalogReport> {
  return withContext(
    'catalog-sync',
    options,
    { commerceCatalog: false, commerceOrders: false },
    async (ctx) => {
      const started = Date.now();
      const report = emptyReport('catalog-sync') as CatalogReport;
      const hashes = createHashStore({ store: ctx.stores.kv, namespace: 'catalog-hash' });

      // 1. Initial load (or, with state from an earlier run, the catch-up).
      const initial = await syncOnce(ctx, hashes, 'initial load');

      // 2. Between runs, the catalog team edits items in the ERP, and someone edits products in
      //    the Commerce admin although the catalog is read-only there (simulated: emulators only).
      const erpEdited: string[] = [];
      const adminEdited: string[] = [];
      if (ctx.systems.mode === 'emulators') {
        const erp = await readErp(ctx);
        const random = seededRandom(41);
        const pick = (n: number) => {
          const chosen = new Set<number>();
          while (chosen.size < Math.min(n, erp.length))
            chosen.add(Math.floor(random() * erp.length));
          return [...chosen].map((i) => erp[i]!);
        };
        for (const row of pick(options.erpEdits ?? 12)) {
          const price = Math.round(Number(row.baseprice ?? 0) * 1.05 * 100) / 100;
          // Setting fields to fixed values is safe to repeat, so a failed PATCH is sent again.
          await retryTransient(() =>
            updateRecord(ctx.systems.netsuite, 'inventoryItem', row.id, {
              basePrice: price,
              displayName: `${row.displayname} (2026)`,
            }),
          );
          erpEdited.push(row.itemid);
        }
        for (const row of pick(options.adminEdits ?? 3)) {
          if (erpEdited.includes(row.itemid)) continue;
          await ctx.systems.commerce.PUT('/V1/products/{sku}', {
            params: { path: { sku: row.itemid } },
            body: { product: { sku: row.itemid, name: `${row.displayname} SALE!!`, price: 0.99 } },
          });
          adminEdited.push(row.itemid);
        }
      }

      // 3. Delta run: only the hash-changed and drifted products are pushed.
      const delta = await syncOnce(ctx, hashes, 'delta');

      // 4. Read both systems back: Commerce must equal the ERP on every owned field and on stock.
      const verify = ctx.progress.task('catalog: verify');
      const [erp, commerce] = await Promise.all([readErp(ctx), readCommerce(ctx)]);
      const mismatches: string[] = [];
      for (const row of erp) {
        const desired = commerceProductFromItem(row);
        const current = commerce.products.get(desired.sku);
        if (!current || !sameContent(current, desired, { numericStrings: true })) {
          mismatches.push(desired.sku);
        }
        const qty = Math.max(0, Math.floor(Number(row.quantityonhand ?? 0)));
        if (commerce.stock.get(desired.sku) !== qty) mismatches.push(`${desired.sku} (stock)`);
      }
      verify.done(`${mismatches.length} mismatches`);

      addMoved(
        report,
        'commerce',
        initial.pushed + delta.pushed + initial.stockPushed + delta.stockPushed,
      );
      addMoved(report, 'netsuite', erpEdited.length);
      report.details = { initial, delta, erpEdited, adminEdited, mismatches };
      report.reconciliation.found = delta.driftCorrected;
      report.reconciliation.remaining = mismatches.length;
      if (delta.driftCorrected > 0)
        report.conflicts['source-of-truth (ERP)'] = delta.driftCorrected;
      report.notes.push(
        `initial load pushed ${initial.pushed} of ${initial.products}; delta pushed ${delta.pushed} (${delta.changedAtSource} changed in the ERP, ${delta.driftCorrected} admin edits overwritten) and skipped ${delta.unchanged} unchanged`,
      );
      report.converged =
        mismatches.length === 0 && initial.failed.length === 0 && delta.failed.length === 0;
      report.durationMs = Date.now() - started;
      return report;
    },
  );
}

if (isMain(import.meta.url)) runPatternCli(run, {});
