/**
 * negotiable-quote: a B2B buyer asks for a quote in Adobe Commerce (a negotiable quote on the
 * cart), and the ERP prices it. The program finds the quotes waiting for the seller, resolves each
 * line's price for the buyer's customer in NetSuite (`resolveCustomerPrice`, behind sync-core's
 * resolver), writes the negotiated total onto the quote and sends it back to the buyer with a
 * comment listing the prices. A quote whose price cannot be resolved (an item the ERP does not
 * know) is declined with the reason rather than left waiting. Every step reads the quote's status
 * first, so a rerun (or a retry after a lost answer) repeats nothing.
 */
import { type CommerceClient, createCommerceClient } from '@plumbline/commerce-client';
import {
  type NetSuiteClient,
  resolveCustomerPrice,
  suiteql,
  suiteqlRows,
} from '@plumbline/erp-netsuite';
import { createResolver } from '@plumbline/sync-core';
import { isMain } from '../shared/cli.js';
import { ensureCompany, findCustomer } from '../shared/companies.js';
import { type ExampleContext, type ExampleOptions, withContext } from '../shared/context.js';
import { runPatternCli } from '../shared/pattern-cli.js';
import { addMoved, emptyReport, type PatternReport } from '../shared/report.js';
import type { SeedCustomer } from '../shared/seed.js';
import { retryTransient } from '../shared/transient.js';

export interface NegotiableQuoteOptions extends ExampleOptions {
  /** Buyers (seed customers, each with a company) asking for a quote (default 8). */
  buyers?: number;
  /** Lines on each quote (default 3). */
  lines?: number;
  /** Of the buyers, how many also ask for a made-to-order item the ERP has no price for (default 1). */
  unpriced?: number;
}

/** A made-to-order item sold in Commerce that NetSuite does not carry: its quotes are declined. */
export const CUSTOM_SKU = 'QUOTE-CUSTOM-ENGRAVING';

/** Where the seller has to act (Adobe's negotiable quote states). */
const WAITING = new Set(['created', 'processing_by_admin', 'submitted_by_customer']);

export interface QuoteOutcome {
  quoteId: number;
  customer: string;
  lines: { sku: string; qty: number; price: number }[];
  total: number;
}

export interface NegotiableQuoteReport extends PatternReport {
  details: {
    requested: number;
    submitted: QuoteOutcome[];
    declined: { quoteId: number; customer: string; reason: string }[];
    /** Quotes already with the buyer (or closed) and left alone. */
    skipped: number;
    /** Quotes still waiting for the seller after the run. */
    left: number[];
  };
}

type Row = Record<string, unknown>;
type Cart = Row & {
  id: number;
  items?: { sku: string; qty: number }[];
  customer?: { id?: number; email?: string | null };
  extension_attributes?: { negotiable_quote?: Row };
};

// ---- the buyer's side (simulated): a company user's cart becomes a quote request ----

const BUYER_PASSWORD = 'Quote-buyer-1';
const buyerEmail = (customer: SeedCustomer) =>
  `buyer.${customer.externalId.toLowerCase()}@example.com`;

/** The company's buyer account (a company user), created once. */
async function ensureBuyer(commerce: CommerceClient, customer: SeedCustomer, companyId: number) {
  const email = buyerEmail(customer);
  const find = async () => (await findCustomer(commerce, email))?.id as number | undefined;
  if (await find()) return email;
  await retryTransient(
    async () => {
      const { data } = await commerce.POST('/V1/customers', {
        body: {
          customer: {
            email,
            firstname: customer.firstname,
            lastname: customer.lastname,
            website_id: 1,
            extension_attributes: { company_attributes: { company_id: companyId, status: 1 } },
          },
          password: BUYER_PASSWORD,
        },
      } as never);
      return (data as unknown as Row).id as number;
    },
    { alreadyDone: find },
  );
  return email;
}

/** The buyer's own client (a customer token). */
async function buyerClient(commerce: CommerceClient, email: string): Promise<CommerceClient> {
  const root = commerce.restUrl.replace(/\/rest\/[^/]+$/, '');
  const anonymous = createCommerceClient({
    baseUrl: root,
    storeCode: commerce.storeCode,
    retry: { retries: 8, minDelayMs: 5, maxDelayMs: 250 },
  });
  // A token request is safe to repeat.
  const token = await retryTransient(async () => {
    const { data } = await anonymous.POST(
      '/V1/integration/customer/token' as never,
      { body: { username: email, password: BUYER_PASSWORD } } as never,
    );
    return String(data);
  });
  return createCommerceClient({
    baseUrl: root,
    storeCode: commerce.storeCode,
    auth: { type: 'bearer', token },
    retry: { retries: 8, minDelayMs: 5, maxDelayMs: 250 },
  });
}

async function cartOf(commerce: CommerceClient, quoteId: number): Promise<Cart> {
  const { data } = await commerce.GET(
    '/V1/carts/{cartId}' as never,
    { params: { path: { cartId: quoteId } } } as never,
  );
  return data as unknown as Cart;
}

/** The buyer fills the cart and asks for a quote, unless that cart already is one. */
async function requestQuote(
  commerce: CommerceClient,
  buyer: CommerceClient,
  customer: SeedCustomer,
  lines: { sku: string; qty: number }[],
): Promise<boolean> {
  // Opening the cart answers the open one when there is one: safe to repeat.
  const quoteId = await retryTransient(async () => {
    const { data } = await buyer.POST('/V1/carts/mine' as never, {} as never);
    return Number(data);
  });
  if ((await cartOf(commerce, quoteId)).extension_attributes?.negotiable_quote) return false;
  for (const line of lines) {
    const has = async () =>
      ((await cartOf(commerce, quoteId)).items ?? []).some((i) => i.sku === line.sku)
        ? true
        : undefined;
    if (await has()) continue;
    // Adding twice would double the quantity: before a retry, look at the cart.
    await retryTransient(
      async () => {
        await buyer.POST(
          '/V1/carts/mine/items' as never,
          { body: { cartItem: { ...line, quote_id: String(quoteId) } } } as never,
        );
        return true;
      },
      { alreadyDone: has },
    );
  }
  const requested = async () =>
    (await cartOf(commerce, quoteId)).extension_attributes?.negotiable_quote ? true : undefined;
  await retryTransient(
    async () => {
      await commerce.POST(
        '/V1/negotiableQuote/request' as never,
        {
          body: {
            quoteId,
            quoteName: `${customer.company} quote`,
            comment: 'Please quote our contract prices for these items.',
          },
        } as never,
      );
      return true;
    },
    { alreadyDone: requested },
  );
  return true;
}

/** The made-to-order item: in Commerce only (a PUT by SKU is an upsert, safe to repeat). */
async function ensureCustomItem(commerce: CommerceClient) {
  await retryTransient(() =>
    commerce.PUT(
      '/V1/products/{sku}' as never,
      {
        params: { path: { sku: CUSTOM_SKU } },
        body: {
          product: {
            sku: CUSTOM_SKU,
            name: 'Custom engraving (made to order)',
            price: 25,
            attribute_set_id: 4,
            type_id: 'simple',
            status: 1,
            visibility: 4,
            extension_attributes: { stock_item: { qty: 1000, is_in_stock: true } },
          },
        },
      } as never,
    ),
  );
}

async function buyersAsk(ctx: ExampleContext, options: NegotiableQuoteOptions): Promise<number> {
  const { commerce } = ctx.systems;
  const buyers = ctx.seed.customers.slice(0, options.buyers ?? 8);
  const unpriced = options.unpriced ?? 1;
  if (unpriced > 0) await ensureCustomItem(commerce);
  const catalog = ctx.seed.products.filter((p) => p.quantity >= 20);
  const task = ctx.progress.task('negotiable-quote: buyers request quotes');
  task.total(buyers.length);
  let requested = 0;
  for (const [i, customer] of buyers.entries()) {
    const company = await ensureCompany(commerce, customer);
    const email = await ensureBuyer(commerce, customer, company.id);
    const buyer = await buyerClient(commerce, email);
    const lines = Array.from({ length: options.lines ?? 3 }, (_, k) => ({
      sku: catalog[(i * 11 + k * 7) % catalog.length]!.sku,
      qty: 5 + ((i + k) % 4) * 5,
    }));
    if (i >= buyers.length - unpriced) lines.push({ sku: CUSTOM_SKU, qty: 2 });
    if (await requestQuote(commerce, buyer, customer, lines)) requested++;
    task.tick();
  }
  task.done();
  return requested;
}

// ---- the seller's side: the ERP prices the waiting quotes ----

/** Every negotiable quote (a cart with `extension_attributes.negotiable_quote`). */
async function negotiableQuotes(commerce: CommerceClient): Promise<Cart[]> {
  const out: Cart[] = [];
  for (let page = 1; ; page++) {
    const { data } = await commerce.GET(
      '/V1/carts/search' as never,
      {
        params: { query: { searchCriteria: { currentPage: page, pageSize: 200 } } },
      } as never,
    );
    const { items = [], total_count = 0 } = (data ?? {}) as {
      items?: Cart[];
      total_count?: number;
    };
    out.push(...items.filter((c) => c.extension_attributes?.negotiable_quote));
    if (items.length === 0 || page * 200 >= total_count) return out;
  }
}

const statusOf = (cart: Cart) => String(cart.extension_attributes?.negotiable_quote?.status);

async function idsByExternalId(netsuite: NetSuiteClient, table: 'customer' | 'item') {
  const ids = new Map<string, string>();
  const query =
    table === 'customer'
      ? suiteql`SELECT id, externalid AS key FROM customer WHERE externalid LIKE 'CUST-%'`
      : suiteql`SELECT id, itemid AS key FROM item`;
  for await (const row of suiteqlRows<{ id: string; key: string }>(netsuite, query)) {
    ids.set(row.key, row.id);
  }
  return ids;
}

interface PriceKey {
  customerId: string;
  sku: string;
}

/** Cents: a line's price times its quantity, summed without float dust. */
const cents = (n: number) => Math.round(n * 100) / 100;

export async function run(options: NegotiableQuoteOptions = {}): Promise<NegotiableQuoteReport> {
  return withContext('negotiable-quote', options, {}, async (ctx) => {
    const started = Date.now();
    const report = emptyReport('negotiable-quote') as NegotiableQuoteReport;
    const { commerce, netsuite } = ctx.systems;

    const requested = await buyersAsk(ctx, options);

    // The ERP's ids: customers by external id, items by SKU.
    const customers = await idsByExternalId(netsuite, 'customer');
    const items = await idsByExternalId(netsuite, 'item');
    const externalIdByEmail = new Map(ctx.seed.customers.map((c) => [c.email, c.externalId]));
    // One price per customer and SKU for the run; no fallback: a quote is priced by the ERP or
    // not at all. An item the ERP does not carry resolves to `undefined`.
    const resolver = createResolver<PriceKey, number | undefined>({
      load: async ({ customerId, sku }, signal) => {
        const itemId = items.get(sku);
        if (itemId === undefined) return undefined;
        return (await resolveCustomerPrice(netsuite, customerId, itemId, { signal })).price;
      },
      timeoutMs: 15_000,
      ttlMs: 10 * 60_000,
      breaker: { failureThreshold: 20, resetMs: 1_000 },
      cacheKey: (k) => `${k.customerId}|${k.sku}`,
    });

    /** The seed customer behind a quote: its buyer's company, found by the company's email. */
    const customerOf = async (cart: Cart) => {
      const { data: buyer } = await commerce.GET('/V1/customers/{customerId}', {
        params: { path: { customerId: Number(cart.customer?.id) } },
      });
      const companyId = (buyer as unknown as { extension_attributes?: Row }).extension_attributes
        ?.company_attributes as Row | undefined;
      const { data: company } = await commerce.GET(
        '/V1/company/{companyId}' as never,
        { params: { path: { companyId: Number(companyId?.company_id) } } } as never,
      );
      return externalIdByEmail.get(String((company as unknown as Row).company_email));
    };

    const submitted: QuoteOutcome[] = [];
    const declined: NegotiableQuoteReport['details']['declined'] = [];
    let skipped = 0;
    const quotes = await negotiableQuotes(commerce);
    const task = ctx.progress.task('negotiable-quote: quotes priced in NetSuite');
    task.total(quotes.length);
    for (const cart of quotes) {
      task.tick();
      const quoteId = Number(cart.id);
      // Idempotent: only a quote waiting for the seller is acted on.
      if (!WAITING.has(statusOf(await cartOf(commerce, quoteId)))) {
        skipped++;
        continue;
      }
      const customer = await customerOf(cart);
      const erpId = customer === undefined ? undefined : customers.get(customer);
      const lines: QuoteOutcome['lines'] = [];
      const unpriced: string[] = [];
      for (const item of cart.items ?? []) {
        const price =
          erpId === undefined
            ? undefined
            : (await resolver.get({ customerId: erpId, sku: item.sku })).value;
        if (price === undefined) unpriced.push(item.sku);
        else lines.push({ sku: item.sku, qty: Number(item.qty), price });
      }
      if (unpriced.length > 0 || erpId === undefined) {
        const reason =
          erpId === undefined
            ? 'Declined: the buyer’s company has no customer account in the ERP.'
            : `Declined: the ERP has no price for ${unpriced.join(', ')}; please ask your sales representative.`;
        await decline(commerce, quoteId, reason);
        declined.push({ quoteId, customer: customer ?? 'unknown', reason });
        continue;
      }
      const total = cents(lines.reduce((sum, l) => sum + l.price * l.qty, 0));
      await priceAndSubmit(commerce, quoteId, total, lines);
      submitted.push({ quoteId, customer: customer as string, lines, total });
    }
    task.done();

    const left = (await negotiableQuotes(commerce))
      .filter((c) => WAITING.has(statusOf(c)))
      .map((c) => c.id);
    addMoved(report, 'commerce', requested + submitted.length * 2 + declined.length);
    report.details = { requested, submitted, declined, skipped, left };
    report.converged = left.length === 0;
    report.notes.push(
      `${requested} quotes requested; ${submitted.length} priced in NetSuite and sent to the buyer, ${declined.length} declined (no ERP price), ${skipped} already answered`,
    );
    report.durationMs = Date.now() - started;
    return report;
  });
}

/** The comment sent with the quote: each line at the buyer's contract price. */
export function quoteComment(lines: QuoteOutcome['lines'], total: number): string {
  const each = lines.map((l) => `${l.sku}: ${l.qty} × ${l.price.toFixed(2)}`).join('; ');
  return `Priced at your contract prices: ${each}. Total ${total.toFixed(2)}.`;
}

/** Writes the negotiated total (price type 3, a proposed total) and sends the quote to the buyer. */
async function priceAndSubmit(
  commerce: CommerceClient,
  quoteId: number,
  total: number,
  lines: QuoteOutcome['lines'],
) {
  // Setting the total is idempotent: safe to retry.
  await retryTransient(() =>
    commerce.PUT(
      '/V1/negotiableQuote/{quoteId}' as never,
      {
        params: { path: { quoteId } },
        body: {
          quote: {
            id: quoteId,
            extension_attributes: {
              negotiable_quote: { negotiated_price_type: 3, negotiated_price_value: total },
            },
          },
        },
      } as never,
    ),
  );
  const sent = async () =>
    statusOf(await cartOf(commerce, quoteId)) === 'submitted_by_admin' ? true : undefined;
  // Submitting twice is refused (and would add the comment twice): before a retry, look.
  await retryTransient(
    async () => {
      await commerce.POST(
        '/V1/negotiableQuote/submitToCustomer' as never,
        { body: { quoteId, comment: quoteComment(lines, total) } } as never,
      );
      return true;
    },
    { alreadyDone: sent },
  );
}

async function decline(commerce: CommerceClient, quoteId: number, reason: string) {
  const done = async () =>
    statusOf(await cartOf(commerce, quoteId)) === 'declined' ? true : undefined;
  await retryTransient(
    async () => {
      await commerce.POST(
        '/V1/negotiableQuote/decline' as never,
        { body: { quoteId, reason } } as never,
      );
      return true;
    },
    { alreadyDone: done },
  );
}

if (isMain(import.meta.url)) {
  runPatternCli(run, {}, (report) => report.details.left.map(String));
}
