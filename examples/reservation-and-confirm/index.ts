/**
 * reservation-and-confirm: stock is reserved when a shopper enters checkout, confirmed when the
 * order is placed in Adobe Commerce, released when the checkout is abandoned, and expired when the
 * shopper simply goes away. NetSuite's stock feeds the reservation store; taking the last units
 * asks NetSuite synchronously, with an aggressive timeout and a fallback to the cached level.
 */
import { getRecord, suiteql, suiteqlRows, updateRecord } from '@plumbline/erp-netsuite';
import { createReservations, type Hold } from '@plumbline/sync-core';
import { createCheckoutClient, placeGuestOrder } from '../shared/checkout.js';
import { isMain } from '../shared/cli.js';
import { type ExampleOptions, withContext } from '../shared/context.js';
import { runPatternCli } from '../shared/pattern-cli.js';
import { emptyReport, type PatternReport } from '../shared/report.js';
import { seededRandom } from '../shared/seed.js';
import { retryTransient } from '../shared/transient.js';

export interface ReservationOptions extends ExampleOptions {
  /** Concurrent checkouts (default 80). */
  shoppers?: number;
  /** How many scarce SKUs the shoppers fight over (default 6). */
  hotSkus?: number;
  /** Timeout of the synchronous last-unit check against NetSuite (default 400 ms). */
  erpTimeoutMs?: number;
  /**
   * When NetSuite cannot answer the last-unit check in time: `refuse` (default) gives the hold
   * back, so nothing is ever sold that NetSuite might not have; `accept` keeps it on the cached
   * level (more sales, at the risk of overselling by what the cache missed).
   */
  lastUnitFallback?: 'refuse' | 'accept';
  /** Seed of the shoppers' behaviour (default 11). */
  behaviourSeed?: number;
  /**
   * How long the hold of a shopper who wanders off lives (default 1,000 ms). The store's clock
   * decides expiry, so the program waits this long for those holds to run out.
   */
  forgetTtlMs?: number;
}

export interface ReservationReport extends PatternReport {
  details: {
    hotSkus: { sku: string; erpStock: number; ordered: number }[];
    checkouts: number;
    ordersPlaced: number;
    refusedSoldOut: number;
    refusedByErpCheck: number;
    erpChecks: number;
    erpFallbacks: number;
    /** Checkouts whose order Commerce itself refused (the hold was given back). */
    ordersRefusedByCommerce: number;
    oversold: number;
    stillHeld: number;
  };
}

/** A ttl long enough for any checkout. */
const HOLD_TTL_MS = 15 * 60_000;

export async function run(options: ReservationOptions = {}): Promise<ReservationReport> {
  return withContext('reservation-and-confirm', options, {}, async (ctx) => {
    const started = Date.now();
    const { netsuite, commerce } = ctx.systems;
    const report = emptyReport('reservation-and-confirm') as ReservationReport;
    const checkout = createCheckoutClient(commerce);
    const reservations = createReservations(ctx.stores.reservations);
    const forgetTtlMs = options.forgetTtlMs ?? 1_000;
    const runId = `${started.toString(36)}`;

    // 1. Feed the reservation store with NetSuite's stock levels.
    const feed = ctx.progress.task('reservations: stock from NetSuite');
    const items = new Map<string, { id: string; qty: number }>();
    for await (const row of suiteqlRows<{ id: string; itemid: string; quantityavailable: string }>(
      netsuite,
      suiteql`SELECT id, itemid, quantityavailable FROM item ORDER BY id`,
    )) {
      const qty = Math.max(0, Math.floor(Number(row.quantityavailable ?? 0)));
      items.set(row.itemid, { id: row.id, qty });
      await reservations.setStock(row.itemid, qty);
      feed.tick();
    }
    feed.done(`${items.size} SKUs`);

    // 2. The scarce SKUs: the lowest stock in the catalog.
    const hot = [...items.entries()]
      .filter(([, item]) => item.qty > 0)
      .sort((a, b) => a[1].qty - b[1].qty || a[0].localeCompare(b[0]))
      .slice(0, options.hotSkus ?? 6)
      .map(([sku]) => sku);
    // Someone sells one unit of the first scarce SKU by phone, straight in NetSuite: the cached
    // level is now one too high, which only the synchronous last-unit check can notice.
    const phoneSku = hot[0];
    const erpStock = new Map(hot.map((sku) => [sku, items.get(sku)!.qty]));
    if (phoneSku) {
      const item = items.get(phoneSku)!;
      await retryTransient(() =>
        updateRecord(netsuite, 'inventoryItem', item.id, { quantityAvailable: item.qty - 1 }),
      );
      erpStock.set(phoneSku, item.qty - 1);
    }

    // 3. Shoppers enter checkout all at once.
    const random = seededRandom(options.behaviourSeed ?? 11);
    const shoppers = Array.from({ length: options.shoppers ?? 80 }, (_, i) => {
      const roll = random();
      return {
        key: `checkout:${runId}:${i}`,
        sku: hot[Math.floor(random() * hot.length)]!,
        qty: random() < 0.2 ? 2 : 1,
        fate: roll < 0.6 ? 'order' : roll < 0.85 ? 'abandon' : 'forget',
        // B2B shoppers are the store's registered customers.
        email:
          ctx.seed.customers[i % Math.max(1, ctx.seed.customers.length)]?.email ??
          `shopper${i}@storefront.example`,
      } as const;
    });
    const confirmedSinceFeed = new Map<string, number>();
    const locks = new Map<string, Promise<unknown>>();
    const withSkuLock = async <T>(sku: string, fn: () => Promise<T>): Promise<T> => {
      const previous = locks.get(sku) ?? Promise.resolve();
      const next = previous.then(fn, fn);
      locks.set(
        sku,
        next.catch(() => {}),
      );
      return next;
    };
    const d = {
      checkouts: shoppers.length,
      ordersPlaced: 0,
      refusedSoldOut: 0,
      refusedByErpCheck: 0,
      erpChecks: 0,
      erpFallbacks: 0,
      ordersRefusedByCommerce: 0,
    };
    let lastOrderError = '';
    const placedOrders: number[] = [];
    /** Keys of the shoppers who wandered off with a hold. */
    const forgotten: string[] = [];
    const task = ctx.progress.task('reservations: checkouts', shoppers.length);
    const timeoutMs = options.erpTimeoutMs ?? 400;
    const fallback = options.lastUnitFallback ?? 'refuse';

    /** Asks NetSuite for the SKU's stock when a hold took the last units; false = refuse. */
    const lastUnitCheck = (sku: string, hold: Hold) =>
      withSkuLock(sku, async () => {
        d.erpChecks++;
        let erpQty: number;
        try {
          const record = await getRecord<{ quantityAvailable?: number | string }>(
            netsuite,
            'inventoryItem',
            items.get(sku)!.id,
            { fields: ['quantityAvailable'], signal: AbortSignal.timeout(timeoutMs) },
          );
          erpQty = Math.floor(Number(record.quantityAvailable ?? 0));
        } catch {
          // NetSuite is slow or down: the graceful fallback decides without it.
          d.erpFallbacks++;
          if (fallback === 'accept') return true;
          await reservations.release(hold.key);
          return false;
        }
        const effective = erpQty - (confirmedSinceFeed.get(sku) ?? 0);
        const level = await reservations.level(sku);
        if (effective >= level.stock) return true;
        // NetSuite has fewer than the cache thought: correct the cache, and give the hold back
        // if the corrected stock no longer covers every live hold.
        await reservations.setStock(sku, Math.max(0, effective));
        const corrected = await reservations.level(sku);
        if (corrected.held <= corrected.stock) return true;
        await reservations.release(hold.key);
        return false;
      });

    await Promise.all(
      shoppers.map(async (shopper) => {
        try {
          const result = await reservations.reserve({
            sku: shopper.sku,
            qty: shopper.qty,
            key: shopper.key,
            // The simulation knows who will wander off; a storefront gives every cart one ttl.
            ttlMs: shopper.fate === 'forget' ? forgetTtlMs : HOLD_TTL_MS,
          });
          if (!result.reserved) {
            d.refusedSoldOut++;
            return;
          }
          if ((await reservations.available(shopper.sku)) === 0) {
            const before = d.erpFallbacks;
            if (!(await lastUnitCheck(shopper.sku, result.hold))) {
              if (d.erpFallbacks === before) d.refusedByErpCheck++;
              report.reservations.released++;
              return;
            }
          }
          if (shopper.fate === 'abandon') {
            await reservations.release(shopper.key);
            report.reservations.released++;
            return;
          }
          if (shopper.fate === 'forget') {
            forgotten.push(shopper.key);
            return;
          }
          let orderId: number;
          try {
            orderId = await placeGuestOrder(checkout, {
              email: shopper.email,
              lines: [{ sku: shopper.sku, qty: shopper.qty }],
            });
          } catch (error) {
            // Commerce refused the order (e.g. its own salable quantity is lower): give it back.
            await reservations.release(shopper.key);
            report.reservations.released++;
            d.ordersRefusedByCommerce++;
            lastOrderError = (error as Error).message;
            return;
          }
          await withSkuLock(shopper.sku, async () => {
            await reservations.confirm(shopper.key);
            confirmedSinceFeed.set(
              shopper.sku,
              (confirmedSinceFeed.get(shopper.sku) ?? 0) + shopper.qty,
            );
          });
          placedOrders.push(orderId);
          report.reservations.confirmed++;
          d.ordersPlaced++;
        } finally {
          task.tick();
        }
      }),
    );
    task.done(`${d.ordersPlaced} orders`);

    // 4. Time passes: forgotten checkouts expire (by the store's clock) and the sweep records them.
    const deadline = Date.now() + forgetTtlMs + 10_000;
    for (const key of forgotten) {
      while ((await reservations.get(key))?.status === 'held' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    await reservations.sweep();
    for (const key of forgotten) {
      if ((await reservations.get(key))?.status === 'expired') report.reservations.expired++;
    }

    // 5. Read every system back.
    const verify = ctx.progress.task('reservations: verify', placedOrders.length);
    const orderedBySku = new Map<string, number>();
    for (const id of placedOrders) {
      const { data } = await commerce.GET('/V1/orders/{id}', { params: { path: { id } } });
      for (const item of data?.items ?? []) {
        const sku = String(item.sku);
        orderedBySku.set(sku, (orderedBySku.get(sku) ?? 0) + Number(item.qty_ordered ?? 0));
      }
      verify.tick();
    }
    let oversold = 0;
    const hotReport: ReservationReport['details']['hotSkus'] = [];
    for (const sku of hot) {
      const ordered = orderedBySku.get(sku) ?? 0;
      const stock = erpStock.get(sku) ?? 0;
      oversold += Math.max(0, ordered - stock);
      hotReport.push({ sku, erpStock: stock, ordered });
      const record = await getRecord<{ quantityAvailable?: number | string }>(
        netsuite,
        'inventoryItem',
        items.get(sku)!.id,
        { fields: ['quantityAvailable'] },
      );
      if (Number(record.quantityAvailable) !== stock) {
        report.notes.push(`NetSuite stock of ${sku} changed unexpectedly`);
        oversold += 1;
      }
    }
    let stillHeld = 0;
    let confirmedQty = 0;
    for (const shopper of shoppers) {
      const hold = await reservations.get(shopper.key);
      if (hold?.status === 'held') stillHeld++;
      if (hold?.status === 'confirmed') confirmedQty += hold.qty;
    }
    const orderedQty = [...orderedBySku.values()].reduce((a, b) => a + b, 0);
    verify.done(`${oversold} oversold, ${stillHeld} still held`);

    report.moved.commerce = d.ordersPlaced;
    report.details = { ...d, hotSkus: hotReport, oversold, stillHeld };
    if (d.ordersRefusedByCommerce > 0) {
      report.notes.push(
        `${d.ordersRefusedByCommerce} orders refused by Commerce and their holds released (last: ${lastOrderError})`,
      );
    }
    report.notes.push(
      `${d.checkouts} checkouts for ${hot.length} scarce SKUs: ${d.ordersPlaced} orders, ${d.refusedSoldOut} sold out, ${d.refusedByErpCheck} refused by the NetSuite last-unit check, ${d.erpFallbacks} ERP fallbacks`,
    );
    report.converged = oversold === 0 && stillHeld === 0 && confirmedQty === orderedQty;
    report.durationMs = Date.now() - started;
    return report;
  });
}

if (isMain(import.meta.url)) runPatternCli(run, { shoppers: 200 });
