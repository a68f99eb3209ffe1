import type { SqlRow, SqlTable } from './suiteql-engine.js';

/** How a record type behaves in the emulator: its SuiteQL table, id family and required fields. */
interface RecordKind {
  table: string;
  family: string;
  /** `transaction.type` code, for transactions. */
  tranType?: string;
  /** Body fields NetSuite insists on at create time, with the label it names in its error. */
  required?: [field: string, label: string][];
}

export const RECORD_KINDS: Record<string, RecordKind> = {
  customer: { table: 'customer', family: 'entity' },
  contact: { table: 'contact', family: 'entity', required: [['lastName', 'Last Name']] },
  salesOrder: {
    table: 'transaction',
    family: 'transaction',
    tranType: 'SalesOrd',
    required: [['entity', 'Customer']],
  },
  itemFulfillment: { table: 'transaction', family: 'transaction', tranType: 'ItemShip' },
  invoice: {
    table: 'transaction',
    family: 'transaction',
    tranType: 'CustInvc',
    required: [['entity', 'Customer']],
  },
  creditMemo: {
    table: 'transaction',
    family: 'transaction',
    tranType: 'CustCred',
    required: [['entity', 'Customer']],
  },
  returnAuthorization: {
    table: 'transaction',
    family: 'transaction',
    tranType: 'RtnAuth',
    required: [['entity', 'Customer']],
  },
  itemReceipt: { table: 'transaction', family: 'transaction', tranType: 'ItemRcpt' },
  cashRefund: {
    table: 'transaction',
    family: 'transaction',
    tranType: 'CashRfnd',
    required: [['entity', 'Customer']],
  },
  inventoryItem: { table: 'item', family: 'item', required: [['itemId', 'Item Name/Number']] },
  location: { table: 'location', family: 'location', required: [['name', 'Name']] },
  priceLevel: { table: 'pricelevel', family: 'pricelevel', required: [['name', 'Price Level']] },
};

/** The sublists the emulator keeps as line arrays (merged by `line` on PATCH unless replaced). */
export const SUBLISTS = new Set(['item', 'addressBook', 'contactRoles', 'itemPricing', 'price']);

const CANONICAL = new Map(Object.keys(RECORD_KINDS).map((name) => [name.toLowerCase(), name]));

/**
 * NetSuite matches record type names without regard to case (`salesorder`, `salesOrder`); the
 * emulator keeps each under one name: ours for the known types, lower case for custom records.
 */
export function canonicalType(type: string): string {
  return CANONICAL.get(type.toLowerCase()) ?? type.toLowerCase();
}

export function recordKind(type: string): RecordKind | undefined {
  if (Object.hasOwn(RECORD_KINDS, type)) return RECORD_KINDS[type];
  if (/^customrecord_[a-z0-9_]+$/i.test(type)) {
    return { table: type.toLowerCase(), family: type.toLowerCase() };
  }
  return undefined;
}

export type RecordData = Record<string, unknown> & { id: string };

const BASE_COLUMNS = ['id', 'externalid', 'lastmodifieddate', 'datecreated'];
/**
 * Columns NetSuite's `transaction` table has whatever rows exist: a query naming one of them is
 * valid even before a record that sets it (e.g. `createdfrom` before the first fulfilment).
 */
const TRANSACTION_COLUMNS = [
  'type',
  'recordtype',
  'tranid',
  'trandate',
  'entity',
  'status',
  'memo',
  'otherrefnum',
  'createdfrom',
  'trackingnumbers',
  'currency',
  'subsidiary',
  'total',
  'foreigntotal',
];

/**
 * NetSuite's `transactionline` table: one row per line, plus the transaction's main line
 * (`mainline = 'T'`, no item). `id` is the line's id within its transaction, so rows are keyed by
 * `uniquekey`, unique across the table.
 */
const TRANSACTION_LINE_COLUMNS = [
  'uniquekey',
  'id',
  'transaction',
  'linesequencenumber',
  'mainline',
  'item',
  'quantity',
  'rate',
  'foreignamount',
  'isclosed',
  'location',
  'quantityshiprecv',
  'quantitybilled',
  'createdfrom',
  'orderline',
];

/**
 * Columns of other tables that exist whatever rows exist: the customer's hierarchy, credit and
 * pricing fields (REST API Browser, customer), the item type, and a price level's fields.
 */
const TABLE_COLUMNS: Record<string, readonly string[]> = {
  transaction: TRANSACTION_COLUMNS,
  item: ['itemtype'],
  customer: [
    'parent',
    'isperson',
    'companyname',
    'balance',
    'unbilledorders',
    'overduebalance',
    'daysoverdue',
    'creditlimit',
    'creditholdoverride',
    'pricelevel',
  ],
  pricelevel: ['name', 'discountpct', 'isinactive', 'isonline'],
  transactionline: TRANSACTION_LINE_COLUMNS,
};

class Table implements SqlTable {
  private readonly rowList: SqlRow[] = [];
  private readonly idList: number[] = [];
  private readonly columns = new Set<string>(BASE_COLUMNS);
  readonly keyColumn: string;
  constructor(readonly name: string) {
    this.keyColumn = name === 'transactionline' ? 'uniquekey' : 'id';
    for (const column of TABLE_COLUMNS[name] ?? []) this.columns.add(column);
  }
  rows(): readonly SqlRow[] {
    return this.rowList;
  }
  ids(): readonly number[] {
    return this.idList;
  }
  hasColumn(name: string): boolean {
    return this.columns.has(name);
  }
  private indexOf(id: number): number {
    let a = 0;
    let b = this.idList.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (this.idList[m]! < id) a = m + 1;
      else b = m;
    }
    return a;
  }
  put(id: number, row: SqlRow): void {
    for (const key in row) this.columns.add(key);
    const last = this.idList.length - 1;
    if (last < 0 || this.idList[last]! < id) {
      this.idList.push(id);
      this.rowList.push(row);
      return;
    }
    const at = this.indexOf(id);
    if (this.idList[at] === id) this.rowList[at] = row;
    else {
      this.idList.splice(at, 0, id);
      this.rowList.splice(at, 0, row);
    }
  }
  remove(id: number): void {
    const at = this.indexOf(id);
    if (this.idList[at] === id) {
      this.idList.splice(at, 1);
      this.rowList.splice(at, 1);
    }
  }
}

function sqlValue(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 'T' : 'F';
    case 'object': {
      const id = (value as { id?: unknown }).id;
      return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
    }
    default:
      return undefined;
  }
}

const columnNames = new Map<string, string>();

/** SuiteQL column names are the lower-cased field names (cached: bulk inserts repeat them). */
function columnName(field: string): string {
  let name = columnNames.get(field);
  if (name === undefined) {
    name = field.toLowerCase();
    columnNames.set(field, name);
  }
  return name;
}

/** The SuiteQL view of a record: lower-case columns, string values, references as their id. */
function toSqlRow(type: string, kind: RecordKind, data: RecordData): SqlRow {
  const row: SqlRow = {};
  for (const key of Object.keys(data)) {
    if (key === 'links' || SUBLISTS.has(key)) continue;
    const v = sqlValue(data[key]);
    if (v !== undefined) row[columnName(key)] = v;
  }
  if (kind.tranType) {
    row.type = kind.tranType;
    row.recordtype = type.toLowerCase();
    // SuiteQL's transaction.status is the letter (`B`), as `orderStatus` holds it in the record.
    const letter = (data.orderStatus as { id?: unknown } | undefined)?.id;
    if (typeof letter === 'string') row.status = letter;
  }
  if (kind.table === 'item') row.itemtype = 'InvtPart';
  return row;
}

/** Lines per transaction in `transactionline`; `uniquekey` = transaction id × this + line. */
const LINE_KEY_SPACE = 100_000;

/** The `transactionline` rows of a transaction: its main line, then one row per item line. */
function toLineRows(data: RecordData): [number, SqlRow][] {
  const base = Number(data.id) * LINE_KEY_SPACE;
  const createdFrom = sqlValue(data.createdFrom) ?? null;
  const rows: [number, SqlRow][] = [
    [
      base,
      {
        uniquekey: String(base),
        id: '0',
        transaction: data.id,
        linesequencenumber: '0',
        mainline: 'T',
        createdfrom: createdFrom,
        location: sqlValue(data.location) ?? null,
      },
    ],
  ];
  for (const line of (data.item as Record<string, unknown>[] | undefined) ?? []) {
    const n = Number(line.line);
    if (!Number.isInteger(n) || n <= 0 || n >= LINE_KEY_SPACE) continue;
    const shipRecv = line.quantityFulfilled ?? line.quantityReceived;
    rows.push([
      base + n,
      {
        uniquekey: String(base + n),
        id: String(n),
        transaction: data.id,
        linesequencenumber: String(n),
        mainline: 'F',
        item: sqlValue(line.item) ?? null,
        quantity: sqlValue(line.quantity) ?? null,
        rate: sqlValue(line.rate) ?? null,
        foreignamount: sqlValue(line.amount) ?? null,
        isclosed: line.isClosed === true ? 'T' : 'F',
        location: sqlValue(line.location ?? data.location) ?? null,
        quantityshiprecv: sqlValue(shipRecv) ?? null,
        quantitybilled: sqlValue(line.quantityBilled) ?? null,
        createdfrom: createdFrom,
        orderline: sqlValue(line.orderLine) ?? null,
      },
    ]);
  }
  return rows;
}

/**
 * A keyed sublist after a write (Oracle's "Updating a Sublist" and "Replacing a Sublist"; the
 * emulator's sublists are keyed by `line`): a line whose key matches an existing line updates it,
 * the other lines of the request are added with the next free line numbers. When the sublist is
 * replaced, the existing lines the request does not name are removed.
 */
function mergeLines(
  existing: Record<string, unknown>[],
  incoming: Record<string, unknown>[],
  replace: boolean,
): Record<string, unknown>[] {
  const named = new Set<unknown>(incoming.map((line) => line.line).filter((n) => n !== undefined));
  const lines = existing.filter((l) => !replace || named.has(l.line)).map((l) => ({ ...l }));
  let next = Math.max(0, ...existing.map((l) => Number(l.line) || 0)) + 1;
  for (const line of incoming) {
    const match = line.line === undefined ? undefined : lines.find((l) => l.line === line.line);
    if (match) Object.assign(match, line);
    else lines.push({ ...line, line: line.line ?? next++ });
  }
  return lines;
}

/** Records by type, with internal ids per id family, external ids and SuiteQL tables. */
export class RecordStore {
  private readonly records = new Map<string, Map<string, RecordData>>();
  private readonly byExternalId = new Map<string, string>();
  private readonly tables = new Map<string, Table>();
  private readonly nextIds = new Map<string, number>();
  private readonly derived = new Map<string, () => SqlTable>();

  constructor(private readonly now: () => number) {}

  /** A SuiteQL table computed from records when it is read (a sublist's lines as rows). */
  deriveTable(name: string, build: () => SqlTable): void {
    this.derived.set(name, build);
  }

  private bucket(type: string): Map<string, RecordData> {
    let m = this.records.get(type);
    if (!m) {
      m = new Map();
      this.records.set(type, m);
    }
    return m;
  }

  table(name: string): SqlTable | undefined {
    const derived = this.derived.get(name);
    if (derived) return derived();
    return this.tables.get(name) ?? (this.isKnownTable(name) ? this.tableFor(name) : undefined);
  }

  private isKnownTable(name: string): boolean {
    return name === 'transactionline' || Object.values(RECORD_KINDS).some((k) => k.table === name);
  }

  private tableFor(name: string): Table {
    let t = this.tables.get(name);
    if (!t) {
      t = new Table(name);
      this.tables.set(name, t);
    }
    return t;
  }

  private lastStamp = { second: Number.NaN, text: '' };

  /** ISO date-time to the second (as NetSuite shows it), cached per second for bulk inserts. */
  private stamp(): string {
    const second = Math.floor(this.now() / 1000);
    if (second !== this.lastStamp.second) {
      this.lastStamp = {
        second,
        text: new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      };
    }
    return this.lastStamp.text;
  }

  /** The `transactionline` keys each transaction has now, so a rewrite drops removed lines. */
  private readonly lineKeys = new Map<string, number[]>();

  private index(type: string, data: RecordData): void {
    const kind = recordKind(type)!;
    this.tableFor(kind.table).put(Number(data.id), toSqlRow(type, kind, data));
    if (kind.tranType) {
      this.unindexLines(data.id);
      const lines = this.tableFor('transactionline');
      const rows = toLineRows(data);
      for (const [key, row] of rows) lines.put(key, row);
      this.lineKeys.set(
        data.id,
        rows.map(([key]) => key),
      );
    }
  }

  private unindexLines(id: string): void {
    const keys = this.lineKeys.get(id);
    if (keys === undefined) return;
    const lines = this.tableFor('transactionline');
    for (const key of keys) lines.remove(key);
    this.lineKeys.delete(id);
  }

  get(type: string, id: string): RecordData | undefined {
    return this.records.get(type)?.get(id);
  }

  idForExternalId(type: string, externalId: string): string | undefined {
    return this.byExternalId.get(`${type}\u0000${externalId}`);
  }

  /** Every record of a type, in id order. */
  list(type: string): RecordData[] {
    return [...(this.records.get(type)?.values() ?? [])].sort(
      (a, b) => Number(a.id) - Number(b.id),
    );
  }

  count(type: string): number {
    return this.records.get(type)?.size ?? 0;
  }

  /** Inserts a record and returns its new internal id. The caller checks required fields. */
  create(type: string, body: Record<string, unknown>, clone = true): RecordData {
    const kind = recordKind(type);
    if (!kind) throw new Error(`unknown record type ${type}`);
    const id = this.nextIds.get(kind.family) ?? 1;
    this.nextIds.set(kind.family, id + 1);
    const stamp = this.stamp();
    const data: RecordData = {
      ...(clone ? structuredClone(body) : body),
      id: String(id),
      dateCreated: stamp,
      lastModifiedDate: stamp,
    };
    if ('links' in data) delete data.links;
    // A field sent as null has no value, as if it were left out.
    for (const key of Object.keys(data)) if (data[key] === null) delete data[key];
    for (const key of SUBLISTS) {
      const sub = data[key] as { items?: unknown[] } | undefined;
      if (sub && typeof sub === 'object') {
        data[key] = (sub.items ?? []).map((line, i) => ({
          ...(line as object),
          line: (line as { line?: unknown }).line ?? i + 1,
        }));
      }
    }
    this.bucket(type).set(data.id, data);
    if (typeof data.externalId === 'string') {
      this.byExternalId.set(`${type}\u0000${data.externalId}`, data.id);
    }
    this.index(type, data);
    return data;
  }

  /** Merges body fields; sublists named in `replace` are replaced, others merged by `line`. */
  update(
    type: string,
    id: string,
    body: Record<string, unknown>,
    replace: Set<string>,
  ): RecordData {
    const data = this.records.get(type)?.get(id);
    if (!data) throw new Error(`no ${type} ${id}`);
    const previousExternalId = data.externalId;
    for (const [key, value] of Object.entries(structuredClone(body))) {
      if (key === 'id' || key === 'links') continue;
      if (SUBLISTS.has(key) && value && typeof value === 'object') {
        const incoming = ((value as { items?: unknown[] }).items ?? []) as Record<
          string,
          unknown
        >[];
        data[key] = mergeLines(
          (data[key] as Record<string, unknown>[] | undefined) ?? [],
          incoming,
          replace.has(key),
        );
      } else if (value === null) {
        // Oracle: a body field set to null in a PATCH is deleted.
        delete data[key];
      } else {
        data[key] = value;
      }
    }
    data.lastModifiedDate = this.stamp();
    if (previousExternalId !== data.externalId) {
      if (typeof previousExternalId === 'string') {
        this.byExternalId.delete(`${type}\u0000${previousExternalId}`);
      }
      if (typeof data.externalId === 'string') {
        this.byExternalId.set(`${type}\u0000${data.externalId}`, id);
      }
    }
    this.index(type, data);
    return data;
  }

  /**
   * Sets fields NetSuite computes itself (a customer's balance): an undefined value removes the
   * field. The record's lastModifiedDate stays as it is, since nobody edited the record.
   */
  setComputed(type: string, id: string, fields: Record<string, unknown>): void {
    const data = this.records.get(type)?.get(id);
    if (!data) return;
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) delete data[key];
      else data[key] = value;
    }
    this.index(type, data);
  }

  /** Every record by type and the id counters, as plain JSON (for emulator snapshots). */
  dump(): { records: Record<string, RecordData[]>; nextIds: [string, number][] } {
    const records: Record<string, RecordData[]> = {};
    for (const type of this.records.keys()) records[type] = structuredClone(this.list(type));
    return { records, nextIds: [...this.nextIds] };
  }

  /** Replaces every record and id counter with a dump's (types are checked by the caller). */
  load(dump: { records: Record<string, RecordData[]>; nextIds: [string, number][] }): void {
    this.records.clear();
    this.byExternalId.clear();
    this.tables.clear();
    this.lineKeys.clear();
    this.nextIds.clear();
    for (const [family, next] of dump.nextIds) this.nextIds.set(family, next);
    for (const [type, rows] of Object.entries(dump.records)) {
      const bucket = this.bucket(type);
      for (const row of structuredClone(rows)) {
        bucket.set(row.id, row);
        if (typeof row.externalId === 'string') {
          this.byExternalId.set(`${type}\u0000${row.externalId}`, row.id);
        }
        this.index(type, row);
      }
    }
  }

  delete(type: string, id: string): boolean {
    const bucket = this.records.get(type);
    const stored = bucket?.get(id);
    if (!stored) return false;
    bucket!.delete(id);
    if (typeof stored.externalId === 'string') {
      this.byExternalId.delete(`${type}\u0000${stored.externalId}`);
    }
    this.tableFor(recordKind(type)!.table).remove(Number(id));
    this.unindexLines(id);
    return true;
  }
}
