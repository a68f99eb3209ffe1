import { referenceId } from './customer-hierarchy.js';
import type { RecordStore } from './store.js';
import type { SqlRow, SqlTable } from './suiteql-engine.js';

/*
 * Price levels and the prices that use them, as SuiteQL tables.
 *
 * - Every account has the price level Base Price, internal id 1; other levels mark the base price
 *   up or down by `discountPct` (SOAP Schema Browser, PriceLevel: "Prices for this level are
 *   calculated by applying the positive or negative percentage to the Base Price level").
 * - An item's `price` sublist holds one line per price level (Oracle, "Working with the Pricing
 *   Sublist on Item Records",
 *   https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159531460854.html):
 *   `{ priceLevel, price, currencyPage, quantity: { value } }`. SuiteQL shows them as the
 *   `pricing` table: `item`, `pricelevel`, `unitprice`, `currency`, `quantity`.
 * - A customer's `itemPricing` sublist (customer-itemPricingElement: `item`, `level`, `price`,
 *   `currency`) is the `customeritempricing` table: `customer`, `item`, `level`, `price`,
 *   `currency` (the columns public SuiteQL drivers list for it).
 */

export const BASE_PRICE_LEVEL = { name: 'Base Price' } as const;

/** A SuiteQL table of rows computed from records: ids are row numbers, no `id` column. */
class ComputedTable implements SqlTable {
  private readonly idList: number[];
  constructor(
    readonly name: string,
    private readonly columns: readonly string[],
    private readonly rowList: SqlRow[],
  ) {
    this.idList = rowList.map((_, i) => i + 1);
  }
  rows(): readonly SqlRow[] {
    return this.rowList;
  }
  ids(): readonly number[] {
    return this.idList;
  }
  hasColumn(name: string): boolean {
    return this.columns.includes(name);
  }
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  return referenceId(value);
}

function row(entries: [string, unknown][]): SqlRow {
  const out: SqlRow = {};
  for (const [column, value] of entries) {
    const v = text(value);
    if (v !== undefined) out[column] = v;
  }
  return out;
}

type Line = Record<string, unknown>;
const linesOf = (value: unknown): Line[] => (Array.isArray(value) ? (value as Line[]) : []);

function pricingTable(store: RecordStore): SqlTable {
  const rows: SqlRow[] = [];
  for (const item of store.list('inventoryItem')) {
    for (const line of linesOf(item.price)) {
      rows.push(
        row([
          ['item', item.id],
          ['pricelevel', line.priceLevel],
          ['unitprice', line.price],
          ['currency', line.currencyPage],
          ['quantity', (line.quantity as { value?: unknown } | undefined)?.value ?? 0],
        ]),
      );
    }
  }
  return new ComputedTable(
    'pricing',
    ['item', 'pricelevel', 'unitprice', 'currency', 'quantity'],
    rows,
  );
}

function customerItemPricingTable(store: RecordStore): SqlTable {
  const rows: SqlRow[] = [];
  for (const customer of store.list('customer')) {
    for (const line of linesOf(customer.itemPricing)) {
      rows.push(
        row([
          ['customer', customer.id],
          ['item', line.item],
          ['level', line.level],
          ['price', line.price],
          ['currency', line.currency],
        ]),
      );
    }
  }
  return new ComputedTable(
    'customeritempricing',
    ['customer', 'item', 'level', 'price', 'currency'],
    rows,
  );
}

/** Registers the `pricing` and `customeritempricing` tables with the store. */
export function registerPricingTables(store: RecordStore): void {
  store.deriveTable('pricing', () => pricingTable(store));
  store.deriveTable('customeritempricing', () => customerItemPricingTable(store));
}
