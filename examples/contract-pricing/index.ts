/**
 * contract-pricing: the prices each B2B customer negotiated live in NetSuite (a price level per
 * customer, and item prices on the customer record that override it). This program resolves every
 * customer's price for every SKU of its contract assortment the way NetSuite prices a sales order
 * (`resolveCustomerPrice`), and pushes them to Adobe Commerce as one shared catalog per company
 * (its own customer group) holding the assortment, with a tier price per SKU for that group.
 * Only prices whose resolved value changed since the last push are sent (hash store), in batches;
 * a price Commerce refuses is parked with its reason; a read-back reconciles what Commerce shows.
 */
import {
  type CommerceClient,
  saveTierPrices,
  type TierPrice,
  tierPrices,
} from '@plumbline/commerce-client';
import {
  createRecord,
  type NetSuiteClient,
  resolveCustomerPrice,
  suiteql,
  suiteqlRows,
  updateRecord,
} from '@plumbline/erp-netsuite';
import {
  createDeadLetterList,
  createHashStore,
  type DeadLetterList,
  type HashStore,
} from '@plumbline/sync-core';
import { isMain } from '../shared/cli.js';
import { type CompanyRef, ensureCompany, ensureSharedCatalog } from '../shared/companies.js';
import { type ExampleContext, type ExampleOptions, withContext } from '../shared/context.js';
import { forEachLimit } from '../shared/parallel.js';
import { runPatternCli } from '../shared/pattern-cli.js';
import { addMoved, emptyReport, type PatternReport } from '../shared/report.js';
import { seededRandom } from '../shared/seed.js';
import { retryTransient } from '../shared/transient.js';

export interface ContractPricingOptions extends ExampleOptions {
  /** Customers with a contract (default 10). */
  customers?: number;
  /** SKUs in each contract's assortment (default 40). */
  assortment?: number;
  /** Customers whose item prices the ERP edits between the two pushes (default 3). */
  erpEdits?: number;
}

/** One customer's price for one SKU, as resolved from the ERP. */
export interface ContractPrice {
  customer: string;
  sku: string;
  price: number;
  source: string;
}

export interface PushPass {
  resolved: number;
  changed: number;
  pushed: number;
  unchanged: number;
  parked: number;
}

export interface ContractPricingReport extends PatternReport {
  details: {
    initial: PushPass;
    delta: PushPass;
    /** Prices whose resolved value the ERP edits changed (the delta must push exactly these). */
    changedByErp: number;
    /** Tier prices in Commerce that differ from the ERP's, found before re-driving. */
    differences: string[];
    /** Prices checked in the final read-back. */
    checked: number;
  };
}

interface Contract {
  externalId: string;
  erpId: string;
  email: string;
  company: CompanyRef;
  /** The shared catalog's customer group code: the group tier prices name. */
  group: string;
  catalogId: number;
  skus: string[];
}

const LEVELS = [
  { name: 'Contract Wholesale', discountPct: -10 },
  { name: 'Contract Distributor', discountPct: -20 },
];

/** `{ sku → NetSuite internal id }` of every item. */
async function erpItems(netsuite: NetSuiteClient): Promise<Map<string, string>> {
  const items = new Map<string, string>();
  for await (const row of suiteqlRows<{ id: string; itemid: string }>(
    netsuite,
    suiteql`SELECT id, itemid FROM item ORDER BY id`,
  )) {
    items.set(row.itemid, row.id);
  }
  return items;
}

/** The price levels of the contracts, created once (found by name afterwards). */
async function ensureLevels(netsuite: NetSuiteClient): Promise<string[]> {
  const byName = new Map<string, string>();
  for await (const row of suiteqlRows<{ id: string; name: string }>(
    netsuite,
    suiteql`SELECT id, name FROM pricelevel ORDER BY id`,
  )) {
    byName.set(row.name, row.id);
  }
  const ids: string[] = [];
  for (const level of LEVELS) {
    let id = byName.get(level.name);
    if (!id) {
      // Creating twice would make two levels of one name: before a retry, look again.
      id = await retryTransient(
        async () => (await createRecord(netsuite, 'priceLevel', level)).id,
        {
          alreadyDone: async () => {
            for await (const row of suiteqlRows<{ id: string }>(
              netsuite,
              suiteql`SELECT id FROM pricelevel WHERE name = ${level.name}`,
            )) {
              return row.id;
            }
            return undefined;
          },
        },
      );
    }
    ids.push(id);
  }
  return ids;
}

/**
 * The back office's contracts (what a sales team keys into NetSuite): a price level per customer
 * and a few negotiated item prices on the customer record. Written only where not yet set.
 */
async function ensureErpContracts(
  ctx: ExampleContext,
  customers: { externalId: string; erpId: string }[],
  items: Map<string, string>,
  assortments: Map<string, string[]>,
): Promise<void> {
  const { netsuite } = ctx.systems;
  const levels = await ensureLevels(netsuite);
  const random = seededRandom(31);
  const prices = new Map(ctx.seed.products.map((p) => [p.sku, p.price]));
  for (const [i, customer] of customers.entries()) {
    const skus = assortments.get(customer.externalId) ?? [];
    const negotiated = skus.slice(0, 3).map((sku) => ({
      item: { id: items.get(sku) },
      price: Math.round((prices.get(sku) ?? 10) * (0.6 + random() * 0.2) * 100) / 100,
    }));
    const { rows } = await readCustomerPricing(netsuite, customer.erpId);
    if (rows.priceLevel) continue; // already under contract: the ERP's data is the ERP's
    // PATCH is idempotent (the same body twice gives the same record): safe to retry.
    await retryTransient(() =>
      updateRecord(
        netsuite,
        'customer',
        customer.erpId,
        { priceLevel: { id: levels[i % levels.length] }, itemPricing: { items: negotiated } },
        { replace: ['itemPricing'] },
      ),
    );
  }
}

async function readCustomerPricing(netsuite: NetSuiteClient, erpId: string) {
  for await (const row of suiteqlRows<{ pricelevel: string | null }>(
    netsuite,
    suiteql`SELECT pricelevel FROM customer WHERE id = ${Number(erpId)}`,
  )) {
    return { rows: { priceLevel: row.pricelevel ?? undefined } };
  }
  return { rows: { priceLevel: undefined } };
}

/** Resolves every contract's price for every SKU of its assortment, 16 lookups at a time. */
async function resolvePrices(
  ctx: ExampleContext,
  contracts: Contract[],
  items: Map<string, string>,
): Promise<ContractPrice[]> {
  const pairs = contracts.flatMap((c) => c.skus.map((sku) => ({ contract: c, sku })));
  const task = ctx.progress.task('contract-pricing: resolve in NetSuite');
  task.total(pairs.length);
  const out: ContractPrice[] = new Array(pairs.length);
  await forEachLimit(pairs.entries(), 16, async ([index, { contract, sku }]) => {
    const resolved = await resolveCustomerPrice(
      ctx.systems.netsuite,
      contract.erpId,
      items.get(sku) as string,
    );
    out[index] = {
      customer: contract.externalId,
      sku,
      price: resolved.price,
      source: resolved.source,
    };
    task.tick();
  });
  task.done();
  return out;
}

const tierOf = (group: string, price: ContractPrice): TierPrice => ({
  sku: price.sku,
  price: price.price,
  price_type: 'fixed',
  website_id: 0,
  customer_group: group,
  quantity: 1,
});

/** Pushes the changed prices in batches; parks the ones Commerce refuses, with its reason. */
async function pushPrices(
  ctx: ExampleContext,
  contracts: Map<string, Contract>,
  prices: ContractPrice[],
  hashes: HashStore,
  dead: DeadLetterList<ContractPrice>,
): Promise<PushPass> {
  const pass: PushPass = {
    resolved: prices.length,
    changed: 0,
    pushed: 0,
    unchanged: 0,
    parked: 0,
  };
  const changed: ContractPrice[] = [];
  for (const price of prices) {
    if (await hashes.changed('contract-price', `${price.customer}/${price.sku}`, price.price)) {
      changed.push(price);
    } else {
      pass.unchanged++;
    }
  }
  pass.changed = changed.length;
  const task = ctx.progress.task('contract-pricing: tier prices → Commerce');
  task.total(changed.length);
  for (let i = 0; i < changed.length; i += 500) {
    const batch = changed.slice(i, i + 500);
    const body = batch.map((p) => tierOf((contracts.get(p.customer) as Contract).group, p));
    // Saving a tier price is an upsert by (sku, website, group, quantity): safe to repeat.
    const failed = await retryTransient(() => saveTierPrices(ctx.systems.commerce, body));
    // Commerce answers refused rows without saying which: send that batch's prices one by one
    // (again safe) to learn which ones it refuses, and why.
    const refusals =
      failed.length === 0
        ? batch.map(() => undefined)
        : await Promise.all(
            body.map(async (tier) => {
              const [first] = await retryTransient(() =>
                saveTierPrices(ctx.systems.commerce, [tier]),
              );
              return first?.message;
            }),
          );
    for (const [j, price] of batch.entries()) {
      const reason = refusals[j];
      if (reason) {
        await dead.park(price, { stage: 'sink', message: reason, code: 'TIER_PRICE_REFUSED' });
        pass.parked++;
      } else {
        await hashes.record('contract-price', `${price.customer}/${price.sku}`, price.price);
        pass.pushed++;
      }
      task.tick();
    }
  }
  task.done();
  return pass;
}

/** What Commerce holds for every contract, compared with the ERP's prices. */
async function readBack(
  commerce: CommerceClient,
  contracts: Contract[],
  prices: ContractPrice[],
): Promise<{ wrong: ContractPrice[]; differences: string[] }> {
  const skus = [...new Set(prices.map((p) => p.sku))];
  const held = new Map<string, number>();
  for (let i = 0; i < skus.length; i += 200) {
    for (const tier of await tierPrices(commerce, skus.slice(i, i + 200))) {
      if (tier.quantity === 1 && tier.website_id === 0) {
        held.set(`${tier.customer_group.toLowerCase()}/${tier.sku}`, tier.price);
      }
    }
  }
  const groupOf = new Map(contracts.map((c) => [c.externalId, c.group.toLowerCase()]));
  const wrong: ContractPrice[] = [];
  const differences: string[] = [];
  for (const price of prices) {
    const have = held.get(`${groupOf.get(price.customer)}/${price.sku}`);
    if (have === price.price) continue;
    wrong.push(price);
    differences.push(
      `${price.customer} ${price.sku}: Commerce ${have ?? 'none'}, NetSuite ${price.price}`,
    );
  }
  return { wrong, differences };
}

/** Edits the ERP's contracts: new negotiated prices for some customers (the delta's cause). */
async function editErp(
  ctx: ExampleContext,
  contracts: Contract[],
  items: Map<string, string>,
  count: number,
): Promise<void> {
  const random = seededRandom(47);
  for (const contract of contracts.slice(0, count)) {
    const negotiated = contract.skus.slice(0, 5).map((sku) => ({
      item: { id: items.get(sku) },
      price: Math.round((5 + random() * 50) * 100) / 100,
    }));
    await retryTransient(() =>
      updateRecord(
        ctx.systems.netsuite,
        'customer',
        contract.erpId,
        { itemPricing: { items: negotiated } },
        // Replacing the sublist makes the edit safe to repeat (a merge would add lines again).
        { replace: ['itemPricing'] },
      ),
    );
  }
}

/** The contracts: the first `count` seed customers, each with a seeded assortment of SKUs. */
async function loadContracts(
  ctx: ExampleContext,
  count: number,
  assortment: number,
): Promise<{ contracts: Contract[]; items: Map<string, string> }> {
  const { netsuite, commerce } = ctx.systems;
  const items = await erpItems(netsuite);
  const customers = ctx.seed.customers.slice(0, count);
  const erpIds = new Map<string, string>();
  for await (const row of suiteqlRows<{ id: string; externalid: string }>(
    netsuite,
    suiteql`SELECT id, externalid FROM customer WHERE externalid LIKE 'CUST-%' ORDER BY id`,
  )) {
    erpIds.set(row.externalid, row.id);
  }
  const random = seededRandom(29);
  const skus = ctx.seed.products.map((p) => p.sku).filter((sku) => items.has(sku));
  const assortments = new Map(
    customers.map((c) => {
      const start = Math.floor(random() * skus.length);
      const chosen = Array.from(
        { length: Math.min(assortment, skus.length) },
        (_, i) => skus[(start + i) % skus.length] as string,
      );
      return [c.externalId, chosen] as const;
    }),
  );
  const refs = customers.map((c) => ({
    externalId: c.externalId,
    erpId: erpIds.get(c.externalId),
  }));
  const missing = refs.filter((r) => !r.erpId).map((r) => r.externalId);
  if (missing.length > 0) throw new Error(`customers not in NetSuite: ${missing.join(', ')}`);
  await ensureErpContracts(
    ctx,
    refs as { externalId: string; erpId: string }[],
    items,
    assortments,
  );

  const task = ctx.progress.task('contract-pricing: companies and shared catalogs');
  task.total(customers.length);
  const contracts: Contract[] = [];
  for (const customer of customers) {
    const company = await ensureCompany(commerce, customer);
    const catalog = await ensureSharedCatalog(commerce, `Contract ${customer.externalId}`, company);
    const skusOf = assortments.get(customer.externalId) ?? [];
    await retryTransient(() =>
      commerce.POST('/V1/sharedCatalog/{id}/assignProducts', {
        params: { path: { id: catalog.id } },
        body: { products: skusOf.map((sku) => ({ sku })) },
      }),
    );
    contracts.push({
      externalId: customer.externalId,
      erpId: erpIds.get(customer.externalId) as string,
      email: customer.email,
      company,
      group: catalog.group,
      catalogId: catalog.id,
      skus: skusOf,
    });
    task.tick();
  }
  task.done();
  return { contracts, items };
}

export async function run(options: ContractPricingOptions = {}): Promise<ContractPricingReport> {
  return withContext('contract-pricing', options, {}, async (ctx) => {
    const started = Date.now();
    const report = emptyReport('contract-pricing') as ContractPricingReport;
    const hashes = createHashStore({ store: ctx.stores.kv, namespace: 'contract-pricing/hash' });
    const dead = createDeadLetterList<ContractPrice>({
      store: ctx.stores.kv,
      name: 'tier-prices',
      namespace: 'contract-pricing/dead',
      key: (p) => `${p.customer}/${p.sku}`,
    });
    const { contracts, items } = await loadContracts(
      ctx,
      options.customers ?? 10,
      options.assortment ?? 40,
    );
    const byCustomer = new Map(contracts.map((c) => [c.externalId, c]));

    const before = await resolvePrices(ctx, contracts, items);
    const initial = await pushPrices(ctx, byCustomer, before, hashes, dead);
    await editErp(ctx, contracts, items, options.erpEdits ?? 3);
    const after = await resolvePrices(ctx, contracts, items);
    const changedByErp = after.filter((p, i) => p.price !== before[i]?.price).length;
    const delta = await pushPrices(ctx, byCustomer, after, hashes, dead);

    // Reconcile: what Commerce shows against the ERP; re-push what differs, then look again.
    const found = await readBack(ctx.systems.commerce, contracts, after);
    for (const price of found.wrong)
      await hashes.forget('contract-price', `${price.customer}/${price.sku}`);
    if (found.wrong.length > 0) await pushPrices(ctx, byCustomer, found.wrong, hashes, dead);
    const left = await readBack(ctx.systems.commerce, contracts, after);
    report.reconciliation = { found: found.wrong.length, remaining: left.wrong.length };

    addMoved(report, 'commerce', initial.pushed + delta.pushed);
    addMoved(report, 'netsuite', Math.min(options.erpEdits ?? 3, contracts.length));
    report.details = {
      initial,
      delta,
      changedByErp,
      differences: found.differences,
      checked: after.length,
    };
    report.converged = left.wrong.length === 0 && initial.parked + delta.parked === 0;
    report.notes.push(
      `${contracts.length} contracts × ${options.assortment ?? 40} SKUs: ${after.length} prices resolved in NetSuite`,
      `delta push: ${delta.pushed} tier prices after ${changedByErp} changed in the ERP, ${delta.unchanged} unchanged not sent`,
    );
    report.durationMs = Date.now() - started;
    return report;
  });
}

if (isMain(import.meta.url)) {
  runPatternCli(run, {}, (report) => report.details.differences.slice(0, 20));
}
