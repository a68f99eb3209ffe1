/**
 * order-approval: a B2B order above the buyer's approval limit, or one that would take the
 * customer past its credit limit in the ERP, is not simply accepted. It enters NetSuite as Pending
 * Approval while the Commerce order is on hold. The approver decides in NetSuite; the decision
 * flows back: approved orders are released and invoiced in Commerce, rejected ones are released
 * and cancelled with a comment saying why. Every step checks the order's state first, so a rerun
 * (or a retry after a lost answer) repeats nothing, and a reconciliation pass compares both
 * systems' states and re-drives what disagrees.
 */
import type { CommerceClient } from '@plumbline/commerce-client';
import { type NetSuiteClient, suiteql, suiteqlRows, updateRecord } from '@plumbline/erp-netsuite';
import { createIdempotency } from '@plumbline/sync-core';
import { createCheckoutClient, placeGuestOrder } from '../shared/checkout.js';
import { isMain } from '../shared/cli.js';
import { type ExampleContext, type ExampleOptions, withContext } from '../shared/context.js';
import { runPatternCli } from '../shared/pattern-cli.js';
import { addMoved, emptyReport, type PatternReport } from '../shared/report.js';
import { writeSalesOrder } from '../shared/sales-order.js';
import { seededRandom } from '../shared/seed.js';
import { retryTransient } from '../shared/transient.js';

export interface OrderApprovalOptions extends ExampleOptions {
  /** Orders placed by B2B buyers during the run (default 30). */
  orders?: number;
  /** Orders with a grand total above this need approval (default 400). */
  approvalLimit?: number;
  /** Share of pending orders the approver rejects (default 0.3). */
  rejectShare?: number;
}

/** Why an order needs approval, or undefined when it does not. */
export type ApprovalReason = 'over approval limit' | 'over credit limit';

/** NetSuite's `orderStatus` letters for a sales order (Pending Approval, Pending Fulfillment, Cancelled). */
const PENDING = 'A';
const APPROVED = 'B';
const REJECTED = 'C';

export interface OrderApprovalReport extends PatternReport {
  details: {
    placed: number;
    needingApproval: { incrementId: string; reason: ApprovalReason }[];
    approved: string[];
    rejected: string[];
    /** Orders whose Commerce and NetSuite states disagreed before re-driving. */
    differences: string[];
    left: string[];
  };
}

type Row = Record<string, unknown>;

interface Placed {
  entityId: number;
  incrementId: string;
  customerExternalId: string;
  total: number;
  items: { sku: string; qty_ordered: number; price: number }[];
}

// ---- the rule ----

interface Credit {
  creditLimit: number | undefined;
  exposure: number;
}

/** The customer's credit in NetSuite: its limit, and what it owes or has on order already. */
async function creditOf(netsuite: NetSuiteClient, externalId: string): Promise<Credit> {
  for await (const row of suiteqlRows<Row>(
    netsuite,
    suiteql`SELECT creditlimit, balance, unbilledorders FROM customer WHERE externalid = ${externalId}`,
  )) {
    const limit =
      row.creditlimit === null || row.creditlimit === undefined
        ? undefined
        : Number(row.creditlimit);
    return {
      creditLimit: Number.isFinite(limit) ? limit : undefined,
      exposure: Number(row.balance ?? 0) + Number(row.unbilledorders ?? 0),
    };
  }
  return { creditLimit: undefined, exposure: 0 };
}

/** The company's rule: above the approval limit, or past the credit limit with this order. */
export function approvalReason(
  total: number,
  credit: Credit,
  approvalLimit: number,
): ApprovalReason | undefined {
  if (total > approvalLimit) return 'over approval limit';
  if (credit.creditLimit !== undefined && credit.exposure + total > credit.creditLimit) {
    return 'over credit limit';
  }
  return undefined;
}

// ---- Commerce steps, each checking the state first ----

async function orderOf(commerce: CommerceClient, entityId: number): Promise<Row> {
  const { data } = await commerce.GET('/V1/orders/{id}', { params: { path: { id: entityId } } });
  return data as unknown as Row;
}

async function comment(commerce: CommerceClient, entityId: number, text: string) {
  // A comment added twice is only noise; the caller checks the state before it asks.
  await retryTransient(() =>
    commerce.POST('/V1/orders/{id}/comments', {
      params: { path: { id: entityId } },
      body: { statusHistory: { comment: text, is_customer_notified: 0, is_visible_on_front: 1 } },
    } as never),
  );
}

/** Puts the order on hold (unless it already is) with a comment saying why. */
async function hold(commerce: CommerceClient, entityId: number, why: string) {
  const isHeld = async () =>
    (await orderOf(commerce, entityId)).status === 'holded' ? true : undefined;
  if (await isHeld()) return;
  await retryTransient(
    async () => {
      await commerce.POST('/V1/orders/{id}/hold', { params: { path: { id: entityId } } });
      return true;
    },
    { alreadyDone: isHeld },
  );
  await comment(commerce, entityId, `Awaiting approval in the ERP: ${why}.`);
}

async function unhold(commerce: CommerceClient, entityId: number) {
  const released = async () =>
    (await orderOf(commerce, entityId)).status !== 'holded' ? true : undefined;
  if (await released()) return;
  await retryTransient(
    async () => {
      await commerce.POST('/V1/orders/{id}/unhold', { params: { path: { id: entityId } } });
      return true;
    },
    { alreadyDone: released },
  );
}

/** Approved: released and invoiced (once: an invoiced order is not invoiced again). */
async function release(commerce: CommerceClient, entityId: number) {
  await unhold(commerce, entityId);
  const invoiced = async () => {
    const items = ((await orderOf(commerce, entityId)).items ?? []) as Row[];
    return items.some((i) => Number(i.qty_invoiced ?? 0) > 0) ? true : undefined;
  };
  if (await invoiced()) return;
  await retryTransient(
    async () => {
      await commerce.POST('/V1/order/{orderId}/invoice', {
        params: { path: { orderId: entityId } },
        body: { capture: true, notify: true },
      });
      return true;
    },
    { alreadyDone: invoiced },
  );
}

/** Rejected: released and cancelled, with the approver's answer as a comment. */
async function reject(commerce: CommerceClient, entityId: number) {
  if ((await orderOf(commerce, entityId)).state === 'canceled') return;
  await unhold(commerce, entityId);
  const cancelled = async () =>
    (await orderOf(commerce, entityId)).state === 'canceled' ? true : undefined;
  await retryTransient(
    async () => {
      await commerce.POST('/V1/orders/{id}/cancel', { params: { path: { id: entityId } } });
      return true;
    },
    { alreadyDone: cancelled },
  );
  await comment(commerce, entityId, 'Cancelled: the order was not approved in the ERP.');
}

// ---- the flow ----

async function placeOrders(ctx: ExampleContext, count: number, approvalLimit: number) {
  const checkout = createCheckoutClient(ctx.systems.commerce);
  const random = seededRandom(59);
  const buyers = ctx.seed.customers.slice(0, 10);
  const catalog = ctx.seed.products.filter((p) => p.quantity >= 50);
  const placed: Placed[] = [];
  const task = ctx.progress.task('order-approval: B2B orders placed');
  task.total(count);
  for (let i = 0; i < count; i++) {
    const buyer = buyers[i % buyers.length]!;
    const product = catalog[Math.floor(random() * catalog.length)]!;
    // Every third order is a large one: enough units to pass the approval limit.
    const qty =
      i % 3 === 0 ? Math.max(2, Math.ceil((approvalLimit * 1.5) / Math.max(1, product.price))) : 1;
    const entityId = await placeGuestOrder(checkout, {
      email: buyer.email,
      lines: [{ sku: product.sku, qty: Math.min(qty, 40) }],
    });
    const order = await orderOf(ctx.systems.commerce, entityId);
    placed.push({
      entityId,
      incrementId: String(order.increment_id),
      customerExternalId: buyer.externalId,
      total: Number(order.grand_total),
      items: ((order.items ?? []) as Row[]).map((item) => ({
        sku: String(item.sku),
        qty_ordered: Number(item.qty_ordered),
        price: Number(item.price),
      })),
    });
    task.tick();
  }
  task.done();
  return placed;
}

/** NetSuite's status letter per increment id, for the orders given. */
async function erpStatuses(netsuite: NetSuiteClient, incrementIds: string[]) {
  const statuses = new Map<string, { id: string; status: string }>();
  for (let i = 0; i < incrementIds.length; i += 100) {
    const chunk = incrementIds.slice(i, i + 100);
    for await (const row of suiteqlRows<{ id: string; otherrefnum: string; status: string }>(
      netsuite,
      suiteql`SELECT id, otherrefnum, status FROM transaction WHERE type = 'SalesOrd' AND otherrefnum IN ${chunk}`,
    )) {
      // SuiteQL may answer `SalesOrd:A` or the letter alone: keep the letter.
      statuses.set(row.otherrefnum, {
        id: row.id,
        status: String(row.status).split(':').pop() as string,
      });
    }
  }
  return statuses;
}

/** Brings each Commerce order in line with the ERP's decision; returns what still disagrees. */
async function flowBack(ctx: ExampleContext, placed: Placed[]): Promise<string[]> {
  const { commerce, netsuite } = ctx.systems;
  const statuses = await erpStatuses(
    netsuite,
    placed.map((p) => p.incrementId),
  );
  const task = ctx.progress.task('order-approval: decisions → Commerce');
  task.total(placed.length);
  for (const order of placed) {
    const erp = statuses.get(order.incrementId)?.status;
    if (erp === APPROVED) await release(commerce, order.entityId);
    else if (erp === REJECTED) await reject(commerce, order.entityId);
    task.tick();
  }
  task.done();
  return disagreements(ctx, placed);
}

/** Commerce's state against the ERP's: A ↔ on hold, B ↔ invoiced, C ↔ cancelled. */
async function disagreements(ctx: ExampleContext, placed: Placed[]): Promise<string[]> {
  const statuses = await erpStatuses(
    ctx.systems.netsuite,
    placed.map((p) => p.incrementId),
  );
  const out: string[] = [];
  for (const order of placed) {
    const erp = statuses.get(order.incrementId)?.status;
    const commerce = await orderOf(ctx.systems.commerce, order.entityId);
    const invoiced = ((commerce.items ?? []) as Row[]).some((i) => Number(i.qty_invoiced ?? 0) > 0);
    const agrees =
      erp === PENDING
        ? commerce.status === 'holded'
        : erp === APPROVED
          ? invoiced && commerce.status !== 'holded'
          : erp === REJECTED
            ? commerce.state === 'canceled'
            : false;
    if (!agrees) {
      out.push(
        `${order.incrementId}: NetSuite ${erp ?? 'none'}, Commerce ${String(commerce.status)}`,
      );
    }
  }
  return out;
}

export async function run(options: OrderApprovalOptions = {}): Promise<OrderApprovalReport> {
  return withContext('order-approval', options, {}, async (ctx) => {
    const started = Date.now();
    const report = emptyReport('order-approval') as OrderApprovalReport;
    const { commerce, netsuite } = ctx.systems;
    const approvalLimit = options.approvalLimit ?? 400;
    const idempotency = createIdempotency(ctx.stores.idempotency, { lockMs: 30_000 });

    // 1. Orders arrive; each is judged by the rule, held if it needs approval, and written to
    //    NetSuite as Pending Approval (A) or Pending Fulfillment (B), once per increment id.
    const placed = await placeOrders(ctx, options.orders ?? 30, approvalLimit);
    const needing: OrderApprovalReport['details']['needingApproval'] = [];
    const task = ctx.progress.task('order-approval: orders → NetSuite');
    task.total(placed.length);
    for (const order of placed) {
      const reason = approvalReason(
        order.total,
        await creditOf(netsuite, order.customerExternalId),
        approvalLimit,
      );
      if (reason) {
        needing.push({ incrementId: order.incrementId, reason });
        await hold(commerce, order.entityId, reason);
      }
      const outcome = await writeSalesOrder(
        netsuite,
        idempotency,
        { increment_id: order.incrementId, grand_total: order.total, items: order.items },
        order.customerExternalId,
        { orderStatus: reason ? PENDING : APPROVED },
      );
      if (outcome.status === 'rejected') throw new Error(`${order.incrementId}: ${outcome.reason}`);
      addMoved(report, 'netsuite');
      task.tick();
    }
    task.done();

    // 2. The approver decides in NetSuite (simulated here): most approved, some rejected.
    const random = seededRandom(61);
    const statuses = await erpStatuses(
      netsuite,
      needing.map((n) => n.incrementId),
    );
    const approved: string[] = [];
    const rejected: string[] = [];
    for (const { incrementId } of needing) {
      const decision = random() < (options.rejectShare ?? 0.3) ? REJECTED : APPROVED;
      const erpId = statuses.get(incrementId)?.id as string;
      // Setting a status is idempotent: safe to retry.
      await retryTransient(() =>
        updateRecord(netsuite, 'salesOrder', erpId, { orderStatus: decision }),
      );
      (decision === APPROVED ? approved : rejected).push(incrementId);
    }

    // 3. The decisions flow back; the orders that needed none are invoiced as usual.
    const differences = await flowBack(ctx, placed);
    // 4. Reconcile: re-drive what still disagrees once, then report what is left.
    const left = differences.length > 0 ? await flowBack(ctx, placed) : [];
    addMoved(report, 'commerce', needing.length + approved.length + rejected.length);
    report.reconciliation = { found: differences.length, remaining: left.length };
    report.details = {
      placed: placed.length,
      needingApproval: needing,
      approved,
      rejected,
      differences,
      left,
    };
    report.converged = left.length === 0;
    report.notes.push(
      `${needing.length} of ${placed.length} orders held for approval (${needing.filter((n) => n.reason === 'over credit limit').length} over credit)`,
      `${approved.length} approved (released, invoiced), ${rejected.length} rejected (cancelled with a comment)`,
    );
    report.durationMs = Date.now() - started;
    return report;
  });
}

if (isMain(import.meta.url)) {
  runPatternCli(run, {}, (report) => report.details.left);
}
