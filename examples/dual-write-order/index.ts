/**
 * dual-write-order: orders are acknowledged in Adobe Commerce, then written asynchronously to
 * NetSuite as sales orders through a durable queue, idempotent by the order increment id. The
 * back office's fulfilments, invoices and credit memos flow back to Commerce. A reconciliation
 * report lists the orders that did not make it; after the cause is fixed, re-driving them brings
 * the report to zero.
 */
import { type CommerceClient, paginate } from '@plumbline/commerce-client';
import {
  createRecord,
  type NetSuiteClient,
  suiteql,
  suiteqlRows,
  transformRecord,
  upsertByExternalId,
} from '@plumbline/erp-netsuite';
import {
  createIdempotency,
  createQueue,
  PermanentJobError,
  type Queue,
  type ReconcileReport,
  reconcile,
} from '@plumbline/sync-core';
import { createCheckoutClient, placeGuestOrder } from '../shared/checkout.js';
import { isMain } from '../shared/cli.js';
import { type ExampleOptions, withContext } from '../shared/context.js';
import { drainQueue } from '../shared/drain.js';
import { forEachLimit } from '../shared/parallel.js';
import { runPatternCli } from '../shared/pattern-cli.js';
import { COMMERCE_EXTERNAL_ID, netsuiteItem } from '../shared/records.js';
import { addMoved, emptyReport, type PatternReport } from '../shared/report.js';
import { seededRandom } from '../shared/seed.js';
import { retryTransient } from '../shared/transient.js';

export interface DualWriteOptions extends ExampleOptions {
  /** New orders placed through the storefront during the run (default 8, two of them failing). */
  liveOrders?: number;
  /** Share of synced orders the simulated warehouse fulfils (default 0.3). */
  fulfilShare?: number;
  /** Worker concurrency (default 8). */
  concurrency?: number;
  /** Stop after the first reconciliation, before the fix and the re-drive, as an interrupted run would. */
  stopBeforeFix?: boolean;
}

export interface OrderJob {
  incrementId: string;
  entityId: number;
  email: string;
  total: number;
  lines: { sku: string; qty: number; price: number }[];
}

export interface DualWriteReport extends PatternReport {
  /** The last reconciliation this run did (after the fix, or the first when it stopped before), for the ops console. */
  lastReconciliation?: { at: Date; report: ReconcileReport<unknown, unknown> };
  details: {
    ordersInCommerce: number;
    /** Orders an earlier run already wrote (skipped without a job). */
    alreadySynced: number;
    salesOrdersWritten: number;
    duplicatesSkipped: number;
    deadLettered: { incrementId: string; reason: string }[];
    firstReconciliation: { missingInNetSuite: string[]; different: string[] };
    redriven: number;
    finalReconciliation: {
      missingInNetSuite: number;
      missingInCommerce: number;
      different: number;
    };
    backflow: { shipments: number; invoices: number; creditMemos: number };
    commerceCheck: {
      shipmentsWithTracking: number;
      invoiced: number;
      refunded: number;
      wrong: string[];
    };
  };
}

/** Finds (and caches) NetSuite internal ids by external key; a miss is asked again next time. */
class NetSuiteIds {
  readonly #items = new Map<string, string>();
  readonly #customers = new Map<string, string>();
  constructor(readonly client: NetSuiteClient) {}

  async preload(): Promise<void> {
    for await (const row of suiteqlRows<{ id: string; itemid: string }>(
      this.client,
      suiteql`SELECT id, itemid FROM item ORDER BY id`,
    )) {
      this.#items.set(row.itemid, row.id);
    }
    for await (const row of suiteqlRows<{ id: string; externalid: string }>(
      this.client,
      suiteql`SELECT id, externalid FROM customer ORDER BY id`,
    )) {
      if (row.externalid) this.#customers.set(row.externalid, row.id);
    }
  }

  async item(sku: string): Promise<string | undefined> {
    return this.#cached(this.#items, sku, suiteql`SELECT id FROM item WHERE itemid = ${sku}`);
  }

  async customer(externalId: string): Promise<string | undefined> {
    return this.#cached(
      this.#customers,
      externalId,
      suiteql`SELECT id FROM customer WHERE externalid = ${externalId}`,
    );
  }

  async #cached(
    cache: Map<string, string>,
    key: string,
    query: ReturnType<typeof suiteql>,
  ): Promise<string | undefined> {
    const known = cache.get(key);
    if (known) return known;
    for await (const row of suiteqlRows<{ id: string }>(this.client, query)) {
      cache.set(key, row.id);
      return row.id;
    }
    return undefined;
  }
}

export async function run(options: DualWriteOptions = {}): Promise<DualWriteReport> {
  return withContext('dual-write-order', options, {}, async (ctx) => {
    const started = Date.now();
    const { commerce, netsuite } = ctx.systems;
    const report = emptyReport('dual-write-order') as DualWriteReport;
    const runId = started.toString(36);
    const ids = new NetSuiteIds(netsuite);
    const idempotency = createIdempotency(ctx.stores.idempotency, { lockMs: 30_000 });
    const queue: Queue<OrderJob> = createQueue<OrderJob>(ctx.stores.queue, {
      name: 'dual-write-orders',
      maxAttempts: 4,
    });

    // Customers by email: Commerce orders name the shopper's email; the shared key is the
    // external id Commerce keeps in a custom attribute.
    const emailToCustomer = new Map<string, string>();
    const loadCustomers = async () => {
      for await (const customer of paginate(commerce, '/V1/customers/search', { pageSize: 200 })) {
        const attr = (customer.custom_attributes ?? []).find(
          (a: { attribute_code?: string }) => a.attribute_code === COMMERCE_EXTERNAL_ID,
        );
        if (customer.email && attr?.value) {
          emailToCustomer.set(String(customer.email).toLowerCase(), String(attr.value));
        }
      }
    };

    // 1. The storefront takes new orders while the integration runs, including one for a SKU the
    //    merchandiser created in Commerce only and one from a customer NetSuite has never seen.
    const live = ctx.progress.task('dual-write: storefront orders', options.liveOrders ?? 8);
    const checkout = createCheckoutClient(commerce);
    const newSku = `NEW-${runId}`.toUpperCase();
    const newCustomer = `CUST-NEW-${runId}`.toUpperCase();
    const newEmail = `buyer.${runId}@newco.example`;
    // (Saving a product or a source item is safe to repeat; creating a customer is not, so its
    // retry first looks the email up.)
    await retryTransient(() =>
      commerce.POST('/V1/products', {
        body: {
          product: {
            sku: newSku,
            name: 'Laser Level Kit (new)',
            price: 219,
            type_id: 'simple',
            attribute_set_id: 4,
            status: 1,
          },
        },
      }),
    );
    await retryTransient(() =>
      commerce.POST('/V1/inventory/source-items', {
        body: { sourceItems: [{ sku: newSku, source_code: 'default', quantity: 50, status: 1 }] },
      }),
    );
    await retryTransient(
      async () => {
        await commerce.POST('/V1/customers', {
          body: {
            customer: {
              email: newEmail,
              firstname: 'Robin',
              lastname: 'Okoye',
              website_id: 1,
              custom_attributes: [{ attribute_code: COMMERCE_EXTERNAL_ID, value: newCustomer }],
            },
          },
        });
        return true;
      },
      {
        alreadyDone: async () => {
          const { data } = await commerce.GET('/V1/customers/search', {
            params: {
              query: {
                searchCriteria: {
                  filter_groups: [{ filters: [{ field: 'email', value: newEmail }] }],
                },
              },
            },
          });
          return ((data as { total_count?: number } | undefined)?.total_count ?? 0) > 0
            ? true
            : undefined;
        },
      },
    );
    await loadCustomers();
    const random = seededRandom(23);
    const knownEmails = [...emailToCustomer.keys()].filter((e) => e !== newEmail);
    const catalog = ctx.seed.products.filter((p) => p.quantity >= 50);
    const liveCount = options.liveOrders ?? 8;
    for (let i = 0; i < liveCount; i++) {
      const product = catalog[Math.floor(random() * catalog.length)]!;
      const lines = [{ sku: product.sku, qty: 1 + Math.floor(random() * 3) }];
      if (i === 0) lines.push({ sku: newSku, qty: 1 });
      const email = i === 1 ? newEmail : knownEmails[Math.floor(random() * knownEmails.length)]!;
      await placeGuestOrder(checkout, { email, lines });
      live.tick();
    }
    live.done();

    // 2. Every Commerce order becomes a job, keyed by increment id: enqueuing twice is harmless.
    const scan = ctx.progress.task('dual-write: orders → queue');
    let alreadySynced = 0;
    const commerceOrders = new Map<string, OrderJob>();
    const byEntity = new Map<number, string>();
    let batch: Array<{ payload: OrderJob; key: string }> = [];
    for await (const order of paginate(commerce, '/V1/orders', {
      pageSize: 200,
      keyset: { field: 'entity_id' },
    })) {
      const o = order as Record<string, any>;
      const job: OrderJob = {
        incrementId: String(o.increment_id),
        entityId: Number(o.entity_id),
        email: String(o.customer_email ?? '').toLowerCase(),
        total: Number(o.grand_total ?? 0),
        lines: ((o.items ?? []) as Record<string, any>[]).map((item) => ({
          sku: String(item.sku),
          qty: Number(item.qty_ordered),
          price: Number(item.price),
        })),
      };
      commerceOrders.set(job.incrementId, job);
      byEntity.set(job.entityId, job.incrementId);
      // Written by an earlier run (the idempotency record says so): nothing to do again.
      if ((await idempotency.get(`salesOrder:${job.incrementId}`))?.state === 'done') {
        alreadySynced++;
        scan.tick();
        continue;
      }
      batch.push({ payload: job, key: job.incrementId });
      if (batch.length >= 200) {
        await queue.enqueueMany(batch);
        batch = [];
      }
      scan.tick();
    }
    if (batch.length > 0) await queue.enqueueMany(batch);
    scan.done(`${commerceOrders.size} orders, ${alreadySynced} already in NetSuite`);

    // 3. Workers write sales orders to NetSuite, once per increment id.
    await ids.preload();
    let written = 0;
    let duplicates = 0;
    const writtenThisRun = new Set<string>();
    /** The shared customer key of an email; a customer who registered since the scan is looked up. */
    const customerKeyFor = async (email: string): Promise<string | undefined> => {
      const known = emailToCustomer.get(email);
      if (known) return known;
      const { data } = await commerce.GET('/V1/customers/search', {
        params: {
          query: {
            searchCriteria: { filter_groups: [{ filters: [{ field: 'email', value: email }] }] },
          },
        },
      });
      for (const customer of (data as { items?: Record<string, any>[] } | undefined)?.items ?? []) {
        const attr = (customer.custom_attributes ?? []).find(
          (a: { attribute_code?: string }) => a.attribute_code === COMMERCE_EXTERNAL_ID,
        );
        if (attr?.value) {
          emailToCustomer.set(email, String(attr.value));
          return String(attr.value);
        }
      }
      return undefined;
    };
    const writeSalesOrder = async (job: OrderJob) => {
      const customerKey = await customerKeyFor(job.email);
      if (!customerKey) {
        throw new PermanentJobError(`order ${job.incrementId}: no customer has email ${job.email}`);
      }
      const entity = await ids.customer(customerKey);
      if (!entity) {
        throw new PermanentJobError(
          `order ${job.incrementId}: NetSuite has no customer with external id ${customerKey}; create or sync the customer, then re-drive`,
        );
      }
      const items: Record<string, unknown>[] = [];
      for (const line of job.lines) {
        const item = await ids.item(line.sku);
        if (!item) {
          throw new PermanentJobError(
            `order ${job.incrementId}: NetSuite has no item ${line.sku}; create the item, then re-drive`,
          );
        }
        items.push({
          item: { id: item },
          quantity: line.qty,
          rate: line.price,
          amount: Math.round(line.qty * line.price * 100) / 100,
        });
      }
      let ran = false;
      await idempotency.run(`salesOrder:${job.incrementId}`, async () => {
        ran = true;
        const ref = await upsertByExternalId(
          netsuite,
          'salesOrder',
          job.incrementId,
          {
            entity: { id: entity },
            otherRefNum: job.incrementId,
            memo: `Adobe Commerce order #${job.incrementId}`,
            custbody_commerce_total: job.total,
            item: { items },
          },
          { replace: ['item'] },
        );
        return ref.id;
      });
      if (ran) {
        written++;
        writtenThisRun.add(job.incrementId);
      } else duplicates++;
    };
    const sync = ctx.progress.task('dual-write: sales orders → NetSuite', commerceOrders.size);
    await drainQueue(
      queue,
      async (job) => {
        await writeSalesOrder(job.payload);
        sync.tick();
      },
      { concurrency: options.concurrency ?? 8, backoff: { baseMs: 50, maxMs: 1000 } },
    );
    const dead = await queue.deadLetters({ limit: 1000 });
    sync.done(`${written} written, ${dead.length} dead-lettered`);

    // 4. Reconciliation: Commerce orders against NetSuite sales orders, by increment id.
    const reconcileOrders = async () => {
      const salesOrders: { key: string; total: number; lines: number }[] = [];
      for await (const row of suiteqlRows<{ externalid: string; custbody_commerce_total: string }>(
        netsuite,
        suiteql`SELECT id, externalid, custbody_commerce_total FROM transaction WHERE type = 'SalesOrd' ORDER BY id`,
      )) {
        if (row.externalid) {
          salesOrders.push({
            key: row.externalid,
            total: Number(row.custbody_commerce_total),
            lines: 0,
          });
        }
      }
      return reconcile(
        [...commerceOrders.values()].map((o) => ({ key: o.incrementId, total: o.total })),
        salesOrders.map((s) => ({ key: s.key, total: s.total })),
        { key: 'key', compare: ['total'], sorted: false, name: 'dual-write-orders' },
      );
    };
    const recon = ctx.progress.task('dual-write: reconcile');
    const first = await reconcileOrders();
    report.lastReconciliation = { at: new Date(), report: first };
    report.reconciliation.found =
      first.stats.missingRight + first.stats.missingLeft + first.stats.different;
    recon.done(`${report.reconciliation.found} to fix`);
    if (options.stopBeforeFix) {
      report.converged = false;
      report.durationMs = Date.now() - started;
      return report;
    }

    // 5. The cause is fixed in NetSuite (the item and the customer are created), and the
    //    dead-lettered jobs are re-driven from the reconciliation report.
    const fix = ctx.progress.task('dual-write: fix and re-drive');
    // The fix is read from Commerce for every dead-lettered order, not only this run's: orders
    // parked by an interrupted earlier run are repaired and re-driven the same way.
    for (const job of dead) {
      for (const line of job.payload.lines) {
        if (await ids.item(line.sku)) continue;
        const { data: product } = await commerce.GET('/V1/products/{sku}', {
          params: { path: { sku: line.sku } },
        });
        if (!product) continue;
        await upsertByExternalId(
          netsuite,
          'inventoryItem',
          line.sku,
          netsuiteItem({
            sku: line.sku,
            name: String(product.name ?? line.sku),
            category: 'Uncategorised',
            price: Number(product.price ?? line.price),
            quantity: Number(
              (product.extension_attributes as { stock_item?: { qty?: number } } | undefined)
                ?.stock_item?.qty ?? 0,
            ),
            weightKg: Number(product.weight ?? 0),
            description: String(product.name ?? line.sku),
          }),
        );
      }
      const customerKey = await customerKeyFor(job.payload.email);
      if (customerKey && !(await ids.customer(customerKey))) {
        const { data } = await commerce.GET('/V1/customers/search', {
          params: {
            query: {
              searchCriteria: {
                filter_groups: [{ filters: [{ field: 'email', value: job.payload.email }] }],
              },
            },
          },
        });
        const customer = (data as { items?: Record<string, any>[] } | undefined)?.items?.[0];
        await upsertByExternalId(netsuite, 'customer', customerKey, {
          companyName: `${customer?.firstname ?? ''} ${customer?.lastname ?? ''}`.trim(),
          firstName: customer?.firstname,
          lastName: customer?.lastname,
          email: job.payload.email,
        });
      }
    }
    const deadByKey = new Map(dead.map((d) => [d.key ?? d.payload.incrementId, d.id]));
    const missing = first.missingRight.map((m) => String(m.key));
    let redriven = 0;
    for (const key of missing) {
      const id = deadByKey.get(key);
      if (id && (await queue.replay(id))) redriven++;
    }
    await drainQueue(queue, async (job) => writeSalesOrder(job.payload), {
      concurrency: options.concurrency ?? 8,
      backoff: { baseMs: 50, maxMs: 1000 },
    });
    const final = await reconcileOrders();
    report.lastReconciliation = { at: new Date(), report: final };
    report.reconciliation.remaining =
      final.stats.missingRight + final.stats.missingLeft + final.stats.different;
    fix.done(`${redriven} re-driven, ${report.reconciliation.remaining} left`);

    // 6. The back office works in NetSuite (simulated here): it fulfils some orders with a
    //    tracking number, bills them, and credits a few.
    const backflow = { shipments: 0, invoices: 0, creditMemos: 0 };
    const expected = new Map<
      string,
      { tracking?: string; invoiced?: boolean; refunded?: boolean }
    >();
    if (ctx.systems.mode === 'emulators') {
      const office = ctx.progress.task('dual-write: back office in NetSuite');
      const soByIncrement = new Map<string, string>();
      for await (const row of suiteqlRows<{ id: string; externalid: string }>(
        netsuite,
        suiteql`SELECT id, externalid FROM transaction WHERE type = 'SalesOrd' ORDER BY id`,
      )) {
        soByIncrement.set(row.externalid, row.id);
      }
      const pick = seededRandom(31);
      const share = options.fulfilShare ?? 0.3;
      const chosen = [...soByIncrement].filter(
        ([increment]) => writtenThisRun.has(increment) && pick() < share,
      );
      await forEachLimit(chosen, 6, async ([increment, soId]) => {
        const tracking = `1ZPLB${increment}`;
        // (A person in NetSuite: a failed click is simply clicked again.)
        await retryTransient(() =>
          transformRecord(netsuite, 'salesOrder', soId, 'itemFulfillment', {
            trackingNumbers: tracking,
            shipMethod: 'UPS Ground',
          }),
        );
        const invoice = await retryTransient(() =>
          transformRecord(netsuite, 'salesOrder', soId, 'invoice', {}),
        );
        const outcome: { tracking?: string; invoiced?: boolean; refunded?: boolean } = {
          tracking,
          invoiced: true,
        };
        if (Number(increment) % 10 === 3) {
          const entity = await ids.customer(
            emailToCustomer.get(commerceOrders.get(increment)!.email)!,
          );
          await retryTransient(() =>
            createRecord(netsuite, 'creditMemo', {
              entity: { id: entity },
              createdFrom: { id: invoice.id },
              memo: `Return for order #${increment}`,
            }),
          );
          outcome.refunded = true;
        }
        expected.set(increment, outcome);
        office.tick();
      });
      office.done(`${expected.size} orders shipped and billed`);
    }

    // 7. Back-flow: fulfilments, invoices and credit memos created in NetSuite since the last run
    //    are applied to Commerce, each once (idempotency keys survive restarts).
    const back = ctx.progress.task('dual-write: NetSuite → Commerce');
    const cursorKey = 'dual-write/backflow-last-id';
    const since = Number((await ctx.stores.kv.get(cursorKey)) ?? 0);
    const soToIncrement = new Map<string, string>();
    const invoiceToSo = new Map<string, string>();
    const docs: {
      id: string;
      type: string;
      createdfrom: string;
      externalid?: string;
      trackingnumbers?: string;
    }[] = [];
    for await (const row of suiteqlRows<{
      id: string;
      type: string;
      createdfrom: string;
      externalid: string;
      trackingnumbers: string;
    }>(
      netsuite,
      suiteql`SELECT id, type, createdfrom, externalid, trackingnumbers FROM transaction WHERE id > ${since} ORDER BY id`,
    )) {
      if (row.type === 'SalesOrd') soToIncrement.set(row.id, row.externalid);
      else docs.push(row);
    }
    let lastId = since;
    for (const doc of docs) {
      const soId = doc.type === 'CustCred' ? invoiceToSo.get(doc.createdfrom) : doc.createdfrom;
      if (doc.type === 'CustInvc') invoiceToSo.set(doc.id, doc.createdfrom);
      const increment = soId ? soToIncrement.get(soId) : undefined;
      const entityId = increment ? commerceOrders.get(increment)?.entityId : undefined;
      if (entityId === undefined) continue;
      await idempotency.run(`backflow:${doc.id}`, async () => {
        // Commerce's ship/invoice/refund are POSTs the transport will not repeat; before a retry
        // the order is read back, so a write whose answer was lost is not made twice.
        await retryTransient(
          async () => {
            await applyToCommerce(commerce, doc, entityId);
            return true;
          },
          {
            alreadyDone: async () =>
              (await appliedInCommerce(commerce, doc, entityId)) ? true : undefined,
          },
        );
        if (doc.type === 'ItemShip') backflow.shipments++;
        else if (doc.type === 'CustInvc') backflow.invoices++;
        else if (doc.type === 'CustCred') backflow.creditMemos++;
        addMoved(report, 'commerce');
        return true;
      });
      lastId = Math.max(lastId, Number(doc.id));
      back.tick();
    }
    await ctx.stores.kv.set(cursorKey, String(lastId));
    back.done(
      `${backflow.shipments} shipments, ${backflow.invoices} invoices, ${backflow.creditMemos} credit memos`,
    );

    // 8. Read Commerce back: every order the back office touched shows it.
    const check = { shipmentsWithTracking: 0, invoiced: 0, refunded: 0, wrong: [] as string[] };
    await forEachLimit(expected, 6, async ([increment, want]) => {
      const entityId = commerceOrders.get(increment)!.entityId;
      const { data } = await commerce.GET('/V1/orders/{id}', {
        params: { path: { id: entityId } },
      });
      const order = data as Record<string, any> | undefined;
      const shipments = await commerce.GET('/V1/shipments', {
        params: {
          query: {
            searchCriteria: {
              filter_groups: [{ filters: [{ field: 'order_id', value: String(entityId) }] }],
            },
          },
        },
      });
      const tracks = (shipments.data?.items ?? []).flatMap((s) => s.tracks ?? []);
      if (tracks.some((t) => t.track_number === want.tracking)) check.shipmentsWithTracking++;
      else check.wrong.push(`${increment}: tracking ${want.tracking} not in Commerce`);
      if (Number(order?.total_invoiced ?? 0) > 0) check.invoiced++;
      else check.wrong.push(`${increment}: not invoiced in Commerce`);
      if (want.refunded) {
        if (Number(order?.total_refunded ?? 0) > 0) check.refunded++;
        else check.wrong.push(`${increment}: credit memo not in Commerce`);
      }
    });

    addMoved(report, 'netsuite', written + 2);
    report.details = {
      ordersInCommerce: commerceOrders.size,
      alreadySynced,
      salesOrdersWritten: written,
      duplicatesSkipped: duplicates,
      deadLettered: dead.map((d) => ({ incrementId: d.payload.incrementId, reason: d.lastError })),
      firstReconciliation: {
        missingInNetSuite: missing,
        different: first.different.map((d) => String(d.key)),
      },
      redriven,
      finalReconciliation: {
        missingInNetSuite: final.stats.missingRight,
        missingInCommerce: final.stats.missingLeft,
        different: final.stats.different,
      },
      backflow,
      commerceCheck: check,
    };
    report.notes.push(
      `${commerceOrders.size} Commerce orders → ${written} NetSuite sales orders written (${alreadySynced} already there from an earlier run); ${dead.length} dead-lettered, ${redriven} re-driven after the fix; back-flow ${backflow.shipments} shipments, ${backflow.invoices} invoices, ${backflow.creditMemos} credit memos`,
    );
    report.converged =
      report.reconciliation.remaining === 0 &&
      check.wrong.length === 0 &&
      (await queue.stats()).dead === 0;
    report.durationMs = Date.now() - started;
    return report;
  });
}

interface BackOfficeDoc {
  id: string;
  type: string;
  trackingnumbers?: string;
}

async function applyToCommerce(
  commerce: CommerceClient,
  doc: BackOfficeDoc,
  orderId: number,
): Promise<void> {
  if (doc.type === 'ItemShip') {
    await commerce.POST('/V1/order/{orderId}/ship', {
      params: { path: { orderId } },
      body: {
        notify: false,
        tracks: [
          {
            track_number: String(doc.trackingnumbers ?? ''),
            title: 'UPS Ground',
            carrier_code: 'ups',
          },
        ],
      },
    });
  } else if (doc.type === 'CustInvc') {
    await commerce.POST('/V1/order/{orderId}/invoice', {
      params: { path: { orderId } },
      body: { capture: true, notify: false },
    });
  } else if (doc.type === 'CustCred') {
    await commerce.POST('/V1/order/{orderId}/refund', {
      params: { path: { orderId } },
      body: { notify: false },
    });
  }
}

/** Whether Commerce already shows the document (an earlier attempt's answer was lost). */
async function appliedInCommerce(
  commerce: CommerceClient,
  doc: BackOfficeDoc,
  orderId: number,
): Promise<boolean> {
  if (doc.type === 'ItemShip') {
    const { data } = await commerce.GET('/V1/shipments', {
      params: {
        query: {
          searchCriteria: {
            filter_groups: [{ filters: [{ field: 'order_id', value: String(orderId) }] }],
          },
        },
      },
    });
    const tracks = (data?.items ?? []).flatMap((s) => s.tracks ?? []);
    return tracks.some((t) => t.track_number === String(doc.trackingnumbers ?? ''));
  }
  const { data } = await commerce.GET('/V1/orders/{id}', { params: { path: { id: orderId } } });
  const order = data as Record<string, unknown> | undefined;
  if (doc.type === 'CustInvc') return Number(order?.total_invoiced ?? 0) > 0;
  if (doc.type === 'CustCred') return Number(order?.total_refunded ?? 0) > 0;
  return true;
}

if (isMain(import.meta.url))
  runPatternCli(run, {}, (report) =>
    report.details.deadLettered.map((dead) => `dead letter ${dead.incrementId}: ${dead.reason}`),
  );
