import { referenceId } from './customer-hierarchy.js';
import type { ErrorDetailInit } from './error-response.js';
import type { RecordData, RecordStore } from './store.js';

/*
 * A customer's credit figures and NetSuite's credit limit handling.
 *
 * The figures (read-only fields of the REST customer record) are kept by the emulator from the
 * customer's own transactions — subcustomers' transactions are theirs: "The credit limit you set
 * for a customer does not include any of the customer's subcustomers"
 * (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N1080144.html):
 * - `balance`: accounts receivable, the open amount of its invoices (`amountRemaining`, else the
 *   invoice amount less `amountPaid`) less the open amount of its credit memos;
 * - `unbilledOrders`: "the total amount of orders that have been entered but not yet billed"
 *   (Records Browser, customer), the unbilled part of its sales orders' open lines; "Unbilled
 *   orders are included whether they are approved or not. Closed and cancelled orders are not"
 *   (Credit Limit Preferences,
 *   https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/bridgehead_4490498729.html);
 * - `overdueBalance` and `daysOverdue`: the open invoice amount past its `dueDate`, and how many
 *   days the oldest of it is past due.
 * An amount is the record's `total`, else the sum of its lines' `amount`, else quantity × rate.
 *
 * The Customer Credit Limit Handling preference (same page): Ignore, Warn Only ("displays a
 * warning when the new sales order or invoice puts the customer at or above their credit limit"),
 * or Enforce Holds ("blocks the entry of a sales order or invoice that puts a customer at or above
 * their credit limit"). The customer's hold setting (`creditHoldOverride`): AUTO follows the limit,
 * ON holds the customer whatever its limit, OFF never holds it.
 */

export interface CreditLimitOptions {
  /** The Customer Credit Limit Handling preference. Default `'ignore'`. */
  handling?: 'ignore' | 'warnOnly' | 'enforceHolds';
  /** Customer Credit Limit Includes Orders: unbilled orders count toward the limit. Default true. */
  includesOrders?: boolean;
  /**
   * What becomes of a sales order the handling warns about: REST shows nobody the warning, so an
   * account routes such orders to approval. `'pendingApproval'` (default): the order is created
   * Pending Approval; `'accept'`: as asked.
   */
  warnedOrders?: 'pendingApproval' | 'accept';
}

type Line = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
/** A record's item lines, stored (an array) or as a request sends them (`{ items }`). */
function linesOf(data: Record<string, unknown>): Line[] {
  const item = data.item as { items?: unknown } | unknown[] | undefined;
  if (Array.isArray(item)) return item as Line[];
  return Array.isArray(item?.items) ? (item.items as Line[]) : [];
}
const cents = (v: number) => Math.round(v * 100) / 100;

function lineAmount(line: Line): number {
  return typeof line.amount === 'number' ? line.amount : num(line.quantity) * num(line.rate);
}

/** A transaction's amount: `total`, else its lines' amounts. */
export function transactionAmount(data: Record<string, unknown>): number {
  if (typeof data.total === 'number') return data.total;
  return linesOf(data).reduce((sum, line) => sum + lineAmount(line), 0);
}

function openAmount(data: RecordData): number {
  if (typeof data.amountRemaining === 'number') return data.amountRemaining;
  return transactionAmount(data) - num(data.amountPaid);
}

const letterOf = (value: unknown): string | undefined => {
  const id = typeof value === 'string' ? value : (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id.toUpperCase() : undefined;
};

/** The unbilled part of a sales order: nothing once closed, cancelled or billed. */
function unbilled(order: RecordData): number {
  const letter = letterOf(order.orderStatus);
  if (letter === 'C' || letter === 'G' || letter === 'H') return 0;
  const lines = linesOf(order);
  if (lines.length === 0) return transactionAmount(order);
  return lines.reduce((sum, line) => {
    if (line.isClosed === true) return sum;
    const quantity = num(line.quantity);
    const share = quantity > 0 ? Math.max(0, quantity - num(line.quantityBilled)) / quantity : 1;
    return sum + lineAmount(line) * share;
  }, 0);
}

export interface CreditFigures {
  balance: number;
  unbilledOrders: number;
  overdueBalance: number;
  daysOverdue: number;
}

const DAY = 86_400_000;

/** Every customer's figures, from one pass over the transactions. */
function figuresByCustomer(store: RecordStore, now: number): Map<string, CreditFigures> {
  const out = new Map<string, CreditFigures>();
  const of = (entity: unknown) => {
    const id = referenceId(entity);
    if (id === undefined) return undefined;
    let f = out.get(id);
    if (!f) {
      f = { balance: 0, unbilledOrders: 0, overdueBalance: 0, daysOverdue: 0 };
      out.set(id, f);
    }
    return f;
  };
  for (const invoice of store.list('invoice')) {
    const f = of(invoice.entity);
    const open = openAmount(invoice);
    if (!f || open <= 0) continue;
    f.balance += open;
    const due = typeof invoice.dueDate === 'string' ? Date.parse(invoice.dueDate) : Number.NaN;
    if (due < now) {
      f.overdueBalance += open;
      f.daysOverdue = Math.max(f.daysOverdue, Math.floor((now - due) / DAY));
    }
  }
  for (const memo of store.list('creditMemo')) {
    const f = of(memo.entity);
    if (f) f.balance -= Math.max(0, openAmount(memo));
  }
  for (const order of store.list('salesOrder')) {
    const f = of(order.entity);
    if (f) f.unbilledOrders += unbilled(order);
  }
  for (const f of out.values()) {
    f.balance = cents(f.balance);
    f.unbilledOrders = cents(f.unbilledOrders);
    f.overdueBalance = cents(f.overdueBalance);
  }
  return out;
}

const FIELDS = ['balance', 'unbilledOrders', 'overdueBalance', 'daysOverdue'] as const;

/**
 * Keeps customers' credit figures: `stale()` after a transaction write, `refresh()` before a read.
 * A refresh is one pass over the transactions; it writes the figures of customers that have
 * transactions or had figures computed before, and leaves other customers' fields as written.
 */
export function creditFigures(store: RecordStore, now: () => number) {
  let stale = true;
  const computed = new Set<string>();
  return {
    stale(): void {
      stale = true;
    },
    refresh(): void {
      if (!stale) return;
      stale = false;
      const figures = figuresByCustomer(store, now());
      for (const id of new Set([...figures.keys(), ...computed])) {
        const customer = store.get('customer', id);
        if (customer === undefined) {
          computed.delete(id);
          continue;
        }
        const f = figures.get(id) ?? {
          balance: 0,
          unbilledOrders: 0,
          overdueBalance: 0,
          daysOverdue: 0,
        };
        computed.add(id);
        if (FIELDS.every((k) => customer[k] === f[k])) continue;
        store.setComputed('customer', id, { ...f });
      }
    },
  };
}

/** What the credit limit handling does with a new sales order. */
export type CreditVerdict = 'accept' | 'pendingApproval' | ErrorDetailInit;

/**
 * The verdict on a new sales order for `customer` (figures fresh): held when its hold is ON, or
 * AUTO with a credit limit the order puts it at or above.
 */
export function creditVerdict(
  options: CreditLimitOptions,
  customer: RecordData | undefined,
  order: Record<string, unknown>,
): CreditVerdict {
  const handling = options.handling ?? 'ignore';
  if (handling === 'ignore' || customer === undefined) return 'accept';
  const hold = letterOf(customer.creditHoldOverride) ?? 'AUTO';
  if (hold === 'OFF') return 'accept';
  const limit = typeof customer.creditLimit === 'number' ? customer.creditLimit : undefined;
  const exposure =
    num(customer.balance) +
    (options.includesOrders === false ? 0 : num(customer.unbilledOrders)) +
    transactionAmount(order);
  const held = hold === 'ON' || (limit !== undefined && exposure >= limit);
  if (!held) return 'accept';
  if (handling === 'warnOnly') {
    return options.warnedOrders === 'accept' ? 'accept' : 'pendingApproval';
  }
  const why =
    hold === 'ON'
      ? 'the customer is on credit hold'
      : `the order puts the customer at ${cents(exposure)}, at or above its credit limit of ${limit}`;
  return {
    detail: `Error while accessing a resource. Customer credit hold: ${why}.`,
    code: 'USER_ERROR',
    path: 'entity',
  };
}
