/**
 * pricing-on-demand: when a B2B customer adds to cart or asks for a quote, the contract price is
 * resolved from NetSuite in real time, bounded by an aggressive timeout, cached for the session,
 * loaded once for concurrent identical asks (single flight), and replaced by the catalog's list
 * price when NetSuite is slow or down (with a circuit breaker so a dead ERP is not hammered).
 */
import { paginate } from '@plumbline/commerce-client';
import {
  createNetSuiteClient,
  getRecordByExternalId,
  type NetSuiteClient,
  suiteql,
  suiteqlRows,
} from '@plumbline/erp-netsuite';
import { createResolver, type ResolvedSource } from '@plumbline/sync-core';
import { isMain } from '../shared/cli.js';
import { type ExampleOptions, withContext } from '../shared/context.js';
import { forEachLimit } from '../shared/parallel.js';
import { runPatternCli } from '../shared/pattern-cli.js';
import { CONTRACT_PRICE_RECORD } from '../shared/records.js';
import { emptyReport, type PatternReport } from '../shared/report.js';
import { seededRandom } from '../shared/seed.js';

export interface PricingOptions extends ExampleOptions {
  /** Concurrent shopper sessions (default 40). */
  sessions?: number;
  /** Price asks per session (default 8; add-to-cart and quote for the same SKU repeat). */
  asksPerSession?: number;
  /** Timeout of one ERP price lookup (default 500 ms). */
  timeoutMs?: number;
}

interface PriceKey {
  customer: string;
  sku: string;
}

interface Price {
  amount: number;
  /** `contract` (negotiated in the ERP), `list` (the ERP's base price) or `catalog-fallback`. */
  basis: 'contract' | 'list' | 'catalog-fallback';
}

export interface PricingReport extends PatternReport {
  details: {
    asks: number;
    erpLoads: number;
    bySource: Record<ResolvedSource, number>;
    outageAsks: number;
    outageFallbacks: number;
    outageErpAttempts: number;
    wrongPrices: string[];
  };
}

export async function run(options: PricingOptions = {}): Promise<PricingReport> {
  return withContext('pricing-on-demand', options, {}, async (ctx) => {
    const started = Date.now();
    const report = emptyReport('pricing-on-demand') as PricingReport;
    const { commerce } = ctx.systems;

    // The storefront's own list prices: the fallback when the ERP cannot answer in time.
    const listPrice = new Map<string, number>();
    for await (const product of paginate(commerce, '/V1/products', { pageSize: 300 })) {
      listPrice.set(String(product.sku), Number(product.price ?? 0));
    }

    let erpLoads = 0;
    let outageErpAttempts = 0;
    let erp: NetSuiteClient = ctx.systems.netsuite;
    /** The record by external id, or undefined on 404 (any other failure propagates). */
    const byExternalId = async <T>(type: string, externalId: string, signal: AbortSignal) => {
      try {
        return await getRecordByExternalId<T>(erp, type, externalId, { signal });
      } catch (error) {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      }
    };
    const loadPrice = async (key: PriceKey, signal: AbortSignal): Promise<Price> => {
      erpLoads++;
      if (erp !== ctx.systems.netsuite) outageErpAttempts++;
      // Contract prices are keyed `<customer>:<sku>`, so one lookup by external id finds them.
      const contract = await byExternalId<{ custrecord_price?: number | string }>(
        CONTRACT_PRICE_RECORD,
        `${key.customer}:${key.sku}`,
        signal,
      );
      if (contract?.custrecord_price !== undefined) {
        return { amount: Number(contract.custrecord_price), basis: 'contract' };
      }
      const item = await byExternalId<{ basePrice?: number | string }>(
        'inventoryItem',
        key.sku,
        signal,
      );
      if (item?.basePrice === undefined) throw new Error(`NetSuite has no item ${key.sku}`);
      return { amount: Number(item.basePrice), basis: 'list' };
    };
    const resolver = createResolver<PriceKey, Price>({
      load: loadPrice,
      timeoutMs: options.timeoutMs ?? 500,
      // Cached for the session: a shopper sees one price for an item while the session lasts.
      ttlMs: 30 * 60_000,
      fallback: (key) => ({ amount: listPrice.get(key.sku) ?? 0, basis: 'catalog-fallback' }),
      breaker: { failureThreshold: 5, resetMs: 200 },
      cacheKey: (key) => `${key.customer}|${key.sku}`,
    });

    // Shoppers: each session is one customer adding items to the cart, then asking for a quote
    // on the same items (the second ask per item is the session cache's job).
    const random = seededRandom(53);
    const customers = ctx.seed.customers;
    const sessionsWanted = options.sessions ?? 40;
    const perSession = options.asksPerSession ?? 8;
    // Contract SKUs of a customer (see systems.ts): a shopper mostly buys what they negotiated.
    const contractSkus = (i: number) =>
      Array.from(
        { length: 12 },
        (_, k) => ctx.seed.products[(i * 7 + k * 13) % ctx.seed.products.length]!.sku,
      );
    const sessions = Array.from({ length: sessionsWanted }, (_, s) => {
      const index = Math.floor(random() * customers.length);
      const skus = contractSkus(index);
      const picks: string[] = [];
      for (let a = 0; a < perSession / 2; a++) {
        picks.push(
          random() < 0.75
            ? skus[Math.floor(random() * skus.length)]!
            : ctx.seed.products[Math.floor(random() * ctx.seed.products.length)]!.sku,
        );
      }
      return { id: s, customer: customers[index]!.externalId, asks: [...picks, ...picks] };
    });
    const bySource: Record<ResolvedSource, number> = { fresh: 0, cache: 0, stale: 0, fallback: 0 };
    const served: { key: PriceKey; price: Price }[] = [];
    const ask = async (key: PriceKey) => {
      const resolved = await resolver.get(key);
      bySource[resolved.source]++;
      served.push({ key, price: resolved.value });
      return resolved;
    };
    const task = ctx.progress.task('pricing: cart and quote asks', sessions.length * perSession);
    // Sessions overlap: a dozen shoppers are busy at any moment.
    await forEachLimit(sessions, 12, async (session) => {
      for (const sku of session.asks) {
        await ask({ customer: session.customer, sku });
        task.tick();
      }
    });
    task.done(`${erpLoads} ERP lookups for ${served.length} asks`);

    // NetSuite goes down: asks for prices not yet cached get the catalog's list price within the
    // timeout, and after a few failures the breaker stops calling NetSuite at all.
    const outage = ctx.progress.task('pricing: ERP outage');
    erp = createNetSuiteClient({
      accountId: ctx.systems.netsuite.netsuite.accountId,
      baseUrl: 'http://127.0.0.1:9',
      auth: { type: 'tba', consumerKey: 'x', consumerSecret: 'x', tokenId: 'x', tokenSecret: 'x' },
      retry: { retries: 3, minDelayMs: 50, maxDelayMs: 100 },
    });
    const outageAsks = 20;
    const fallbackBefore = bySource.fallback;
    let outageFallbacks = 0;
    for (let i = 0; i < outageAsks; i++) {
      const customer = customers[i % customers.length]!.externalId;
      const sku = ctx.seed.products[(i * 17 + 5) % ctx.seed.products.length]!.sku;
      resolver.invalidate({ customer, sku });
      const resolved = await ask({ customer, sku });
      if (resolved.source === 'fallback') outageFallbacks++;
      outage.tick();
    }
    outage.done(
      `${bySource.fallback - fallbackBefore} fallback prices, ${outageErpAttempts} ERP attempts, breaker ${resolver.breakerState}`,
    );

    // NetSuite is back: once the breaker lets a trial through, fresh prices flow again.
    erp = ctx.systems.netsuite;
    await new Promise((resolve) => setTimeout(resolve, 250));
    const recovery = ctx.progress.task('pricing: recovery');
    for (const customer of customers.slice(0, 5)) {
      await ask({
        customer: customer.externalId,
        sku: contractSkus(customers.indexOf(customer))[0]!,
      });
      recovery.tick();
    }
    recovery.done(`breaker ${resolver.breakerState}`);

    // Check every served price against NetSuite's contract prices and the catalog.
    const verify = ctx.progress.task('pricing: verify');
    const contract = new Map<string, number>();
    for await (const row of suiteqlRows<{
      custrecord_customer: string;
      custrecord_item: string;
      custrecord_price: string;
    }>(
      ctx.systems.netsuite,
      suiteql`SELECT custrecord_customer, custrecord_item, custrecord_price FROM ${suiteql.identifier(CONTRACT_PRICE_RECORD)} ORDER BY id`,
    )) {
      contract.set(
        `${row.custrecord_customer}|${row.custrecord_item}`,
        Number(row.custrecord_price),
      );
    }
    const erpList = new Map<string, number>();
    for await (const row of suiteqlRows<{ itemid: string; baseprice: string }>(
      ctx.systems.netsuite,
      suiteql`SELECT itemid, baseprice FROM item ORDER BY id`,
    )) {
      erpList.set(row.itemid, Number(row.baseprice));
    }
    const wrongPrices: string[] = [];
    for (const { key, price } of served) {
      const id = `${key.customer}|${key.sku}`;
      const expected =
        price.basis === 'catalog-fallback'
          ? listPrice.get(key.sku)
          : (contract.get(id) ?? erpList.get(key.sku));
      const basis = contract.has(id) ? 'contract' : 'list';
      if (
        expected !== price.amount ||
        (price.basis !== 'catalog-fallback' && price.basis !== basis)
      ) {
        wrongPrices.push(`${id}: served ${price.amount} (${price.basis}), expected ${expected}`);
      }
    }
    verify.done(`${wrongPrices.length} wrong`);

    report.details = {
      asks: served.length,
      erpLoads,
      bySource,
      outageAsks,
      outageFallbacks,
      outageErpAttempts,
      wrongPrices,
    };
    report.notes.push(
      `${served.length} price asks: ${bySource.fresh} from NetSuite, ${bySource.cache} from the session cache or a shared flight, ${bySource.fallback} fallback list prices (${outageFallbacks} during the outage, where ${outageErpAttempts} NetSuite attempts were made before the breaker opened)`,
    );
    report.converged = wrongPrices.length === 0 && outageFallbacks === outageAsks;
    report.durationMs = Date.now() - started;
    return report;
  });
}

if (isMain(import.meta.url)) runPatternCli(run, { sessions: 120 });
