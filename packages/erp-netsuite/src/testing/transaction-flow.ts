import type { ErrorDetailInit } from './error-response.js';
import type { RecordData } from './store.js';

/*
 * How sales orders and return authorizations move: their status letters, the quantities each
 * line has been fulfilled, received, billed or refunded, and what a transform may take from them.
 *
 * Sources (see the README's facts table):
 * - Status letters and names: NetSuite's transaction status list (`SalesOrd:A`…`SalesOrd:H`,
 *   `RtnAuth:A`…`RtnAuth:H`), https://blog.prolecto.com/2013/08/30/netsuite-searchfilter-transaction-internal-status-list/
 *   and Oracle's "Customer Return Authorization Status",
 *   https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N1310133.html
 * - `orderStatus` A/B set by POST or PATCH, an order closed by closing its lines:
 *   https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159795516182.html and
 *   https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159795512874.html
 */

type Line = Record<string, unknown>;

export const STATUS_NAMES: Record<string, Record<string, string>> = {
  salesOrder: {
    A: 'Pending Approval',
    B: 'Pending Fulfillment',
    C: 'Cancelled',
    D: 'Partially Fulfilled',
    E: 'Pending Billing/Partially Fulfilled',
    F: 'Pending Billing',
    G: 'Billed',
    H: 'Closed',
  },
  returnAuthorization: {
    A: 'Pending Approval',
    B: 'Pending Receipt',
    C: 'Cancelled',
    D: 'Partially Received',
    E: 'Pending Refund/Partially Received',
    F: 'Pending Refund',
    G: 'Refunded',
    H: 'Closed',
  },
};

/** What each line has been through: fulfilled (orders) or received (returns), and billed. */
const MOVED: Record<string, 'quantityFulfilled' | 'quantityReceived'> = {
  salesOrder: 'quantityFulfilled',
  returnAuthorization: 'quantityReceived',
};

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const linesOf = (data: Record<string, unknown>): Line[] =>
  Array.isArray(data.item) ? (data.item as Line[]) : [];

export function hasFlow(type: string): boolean {
  return Object.hasOwn(STATUS_NAMES, type);
}

/** The letter of `orderStatus` as sent (`"B"` or `{ id: "B" }`) or stored. */
export function statusLetter(value: unknown): string | undefined {
  const id = typeof value === 'string' ? value : (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id.toUpperCase() : undefined;
}

/** `orderStatus` and `status` as NetSuite's records show them. */
function statusFields(type: string, letter: string): Record<string, unknown> {
  const name = STATUS_NAMES[type]![letter]!;
  return { orderStatus: { id: letter, refName: name }, status: { id: name, refName: name } };
}

/**
 * The status the quantities say: closed when nothing is left to do and a line was closed,
 * billed/refunded when every line went all the way, pending billing/refund when every open line
 * is fulfilled/received, partially when some of it is, else pending fulfilment/receipt (or still
 * pending approval or cancelled, as set).
 */
function derivedLetter(type: string, data: Record<string, unknown>): string {
  const current = statusLetter(data.orderStatus);
  if (current === 'C') return 'C';
  const moved = MOVED[type]!;
  const lines = linesOf(data);
  const done = (l: Line) => num(l[moved]);
  const billed = (l: Line) => num(l.quantityBilled);
  const touched = lines.some((l) => done(l) > 0 || billed(l) > 0);
  if (current === 'A' && !touched) return 'A';
  const toMove = lines.some((l) => l.isClosed !== true && done(l) < num(l.quantity));
  const toBill = lines.some((l) => billed(l) < (l.isClosed === true ? done(l) : num(l.quantity)));
  if (!toMove && !toBill) return lines.some((l) => l.isClosed === true) ? 'H' : 'G';
  if (!toMove) return 'F';
  if (!lines.some((l) => done(l) > 0)) return 'B';
  return lines.some((l) => done(l) > billed(l)) ? 'E' : 'D';
}

/**
 * The fields to store after a write: every line with its quantities (0 until something
 * happens), a cancelled order's lines closed, and the status the quantities say.
 */
export function settled(type: string, data: RecordData): Record<string, unknown> {
  const moved = MOVED[type]!;
  const cancelled = statusLetter(data.orderStatus) === 'C';
  const items = linesOf(data).map((l) => ({
    line: l.line,
    [moved]: num(l[moved]),
    quantityBilled: num(l.quantityBilled),
    isClosed: cancelled || l.isClosed === true,
  }));
  const letter = derivedLetter(type, {
    ...data,
    item: linesOf(data).map((l, i) => ({ ...l, ...items[i] })),
  });
  return { item: { items }, ...statusFields(type, letter) };
}

const COUNTERS = ['quantityFulfilled', 'quantityReceived', 'quantityBilled'];

function userError(detail: string, path: string): ErrorDetailInit {
  return { detail: `Error while accessing a resource. ${detail}`, code: 'USER_ERROR', path };
}

/**
 * What a create or update may not do: set the quantities NetSuite keeps itself, lower a line
 * below what already happened to it, reopen a cancelled order's line, or move the status other
 * than by approving (A ↔ B) or cancelling (C) before anything happened.
 */
export function refusedWrite(
  type: string,
  body: Record<string, unknown>,
  stored?: RecordData,
): ErrorDetailInit[] {
  const problems: ErrorDetailInit[] = [];
  const incoming = (body.item as { items?: unknown } | undefined)?.items;
  const storedLines = stored ? linesOf(stored) : [];
  const current = stored ? statusLetter(stored.orderStatus) : undefined;
  const moved = MOVED[type]!;
  if (Array.isArray(incoming)) {
    incoming.forEach((raw, i) => {
      const line = (raw ?? {}) as Line;
      const path = `item.items[${i}]`;
      for (const counter of COUNTERS) {
        if (line[counter] !== undefined) {
          problems.push(
            userError(
              `${counter} is set by NetSuite as the line is processed; it cannot be written.`,
              `${path}.${counter}`,
            ),
          );
        }
      }
      const before = storedLines.find((l) => line.line !== undefined && l.line === line.line);
      if (!before) return;
      if (current === 'C' && line.isClosed === false) {
        problems.push(
          userError('A line of a cancelled transaction cannot be reopened.', `${path}.isClosed`),
        );
      }
      const floor = Math.max(num(before[moved]), num(before.quantityBilled));
      if (line.quantity !== undefined && num(line.quantity) < floor) {
        problems.push(
          userError(
            `The quantity of line ${String(before.line)} cannot be less than the ${floor} already processed.`,
            `${path}.quantity`,
          ),
        );
      }
    });
  }
  const wanted = statusLetter(body.orderStatus);
  if (body.orderStatus !== undefined && wanted !== current) {
    const names = STATUS_NAMES[type]!;
    const touched = storedLines.some((l) => num(l[moved]) > 0 || num(l.quantityBilled) > 0);
    const open = current === undefined || current === 'A' || current === 'B';
    if (wanted === undefined || !Object.hasOwn(names, wanted)) {
      problems.push(
        userError(`Invalid orderStatus ${JSON.stringify(body.orderStatus)}.`, 'orderStatus'),
      );
    } else if (!['A', 'B', 'C'].includes(wanted)) {
      problems.push(
        userError(
          `orderStatus ${wanted} (${names[wanted]}) follows from the lines; close lines or transform the record instead.`,
          'orderStatus',
        ),
      );
    } else if (stored && (!open || touched)) {
      const now = current === undefined ? 'processed' : `${names[current]} (${current})`;
      problems.push(
        userError(
          `The status cannot change to ${names[wanted]} (${wanted}): the record is ${now}${touched ? ' and lines have been processed' : ''}.`,
          'orderStatus',
        ),
      );
    }
  }
  return problems;
}

/** The status a new record starts in when the body sets none. */
export function initialStatus(type: string): string {
  // Sales orders as integrations usually have them (preference "Pending Fulfillment"); returns
  // wait for approval (Oracle's first return status), which is PATCH `orderStatus: "B"`.
  return type === 'salesOrder' ? 'B' : 'A';
}

/** A transform's rule: from which statuses, how much each source line has left, which counter. */
interface Flow {
  refusedIn: string;
  available(line: Line): number;
  counter?: 'quantityFulfilled' | 'quantityBilled' | 'quantityReceived';
  /** Lines carry `itemReceive` (fulfilments and receipts) rather than rate and amount. */
  receives: boolean;
}

const refundable = (l: Line) =>
  (l.isClosed === true ? num(l.quantityReceived) : num(l.quantity)) - num(l.quantityBilled);

const FLOWS: Record<string, Flow> = {
  'salesOrder>itemFulfillment': {
    refusedIn: 'ACH',
    available: (l) => (l.isClosed === true ? 0 : num(l.quantity) - num(l.quantityFulfilled)),
    counter: 'quantityFulfilled',
    receives: true,
  },
  'salesOrder>invoice': {
    refusedIn: 'AC',
    available: (l) =>
      (l.isClosed === true ? num(l.quantityFulfilled) : num(l.quantity)) - num(l.quantityBilled),
    counter: 'quantityBilled',
    receives: false,
  },
  'salesOrder>returnAuthorization': {
    refusedIn: 'AC',
    available: (l) => (l.isClosed === true ? num(l.quantityFulfilled) : num(l.quantity)),
    receives: false,
  },
  'returnAuthorization>itemReceipt': {
    refusedIn: 'ACH',
    available: (l) => (l.isClosed === true ? 0 : num(l.quantity) - num(l.quantityReceived)),
    counter: 'quantityReceived',
    receives: true,
  },
  'returnAuthorization>creditMemo': {
    refusedIn: 'ACH',
    available: refundable,
    counter: 'quantityBilled',
    receives: false,
  },
  'returnAuthorization>cashRefund': {
    refusedIn: 'ACH',
    available: refundable,
    counter: 'quantityBilled',
    receives: false,
  },
};

export interface PlannedTransform {
  /** The new record's lines. */
  lines: Line[];
  /** The source's lines with their counters moved on (undefined when the flow keeps none). */
  sourceLines?: Line[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The lines a transform makes: every source line with something left, at what is left, merged
 * with the body's lines by `orderLine` (a smaller `quantity`, `itemReceive: false` to leave a
 * line out, a `location`). Receipts need a location on each line: the line's, the body's, the
 * return's line or the return's own. Returns NetSuite-style problems instead when the source's
 * status or the quantities do not allow it.
 */
export function planTransform(
  sourceType: string,
  source: RecordData,
  target: string,
  body: Record<string, unknown>,
): PlannedTransform | ErrorDetailInit[] {
  const flow = FLOWS[`${sourceType}>${target}`];
  const sourceLines = linesOf(source);
  if (!flow) {
    // Transforms without quantities to keep (invoice → credit memo, ...): the lines as they are.
    return {
      lines: sourceLines.map((l) => ({
        orderLine: l.line,
        item: l.item,
        quantity: l.quantity,
        rate: l.rate,
        amount: l.amount,
      })),
    };
  }
  const letter = statusLetter(source.orderStatus);
  if (letter !== undefined && flow.refusedIn.includes(letter)) {
    const name = STATUS_NAMES[sourceType]![letter];
    return [
      {
        detail: `You can not initialize ${target.toLowerCase()}: invalid reference ${source.id}. The ${sourceType} is ${name} (${letter}).`,
        code: 'USER_ERROR',
      },
    ];
  }
  const incoming = ((body.item as { items?: unknown } | undefined)?.items ?? []) as Line[];
  const problems: ErrorDetailInit[] = [];
  const byLine = new Map(sourceLines.map((l) => [l.line, l]));
  incoming.forEach((over, i) => {
    const line = byLine.get(over.orderLine);
    const path = `item.items[${i}]`;
    if (!line) {
      problems.push(
        userError(
          `orderLine ${String(over.orderLine)} is not a line of ${sourceType} ${source.id}.`,
          `${path}.orderLine`,
        ),
      );
      return;
    }
    const left = flow.available(line);
    if (over.quantity !== undefined && !(num(over.quantity) > 0 && num(over.quantity) <= left)) {
      problems.push(
        userError(
          `The quantity of line ${String(line.line)} must be more than 0 and at most ${left}, what is left of it.`,
          `${path}.quantity`,
        ),
      );
    }
  });
  if (problems.length > 0) return problems;
  const lines: Line[] = [];
  for (const line of sourceLines) {
    const left = flow.available(line);
    const over = incoming.find((l) => l.orderLine === line.line) ?? {};
    if (left <= 0 || over.itemReceive === false) continue;
    const quantity = over.quantity === undefined ? left : num(over.quantity);
    const rate = num(line.rate);
    const made: Line = flow.receives
      ? { orderLine: line.line, item: line.item, quantity, itemReceive: true }
      : { orderLine: line.line, item: line.item, quantity, rate, amount: round2(rate * quantity) };
    const location = over.location ?? body.location ?? line.location ?? source.location;
    if (location !== undefined) made.location = location;
    lines.push({
      ...over,
      ...made,
      ...(over.location === undefined ? {} : { location: over.location }),
    });
  }
  if (lines.length === 0) {
    return [
      {
        detail: `You can not initialize ${target}: the ${sourceType} has no lines to transform.`,
        code: 'USER_ERROR',
      },
    ];
  }
  if (target === 'itemReceipt') {
    const missing = lines.findIndex((l) => l.location === undefined);
    if (missing !== -1) {
      return [userError('Please enter value(s) for: Location.', `item.items[${missing}].location`)];
    }
  }
  if (!flow.counter) return { lines };
  const counter = flow.counter;
  return {
    lines,
    sourceLines: sourceLines.map((l) => {
      const taken = lines.find((n) => n.orderLine === l.line);
      return taken
        ? { line: l.line, [counter]: num(l[counter]) + num(taken.quantity) }
        : { line: l.line };
    }),
  };
}
