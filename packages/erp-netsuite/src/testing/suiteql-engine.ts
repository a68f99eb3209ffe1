/**
 * The emulator's SuiteQL engine: the subset Plumbline's tests and examples use.
 *
 * SELECT [*|col [AS alias]|TO_CHAR(col, 'format') [AS alias]|COUNT(*|col) [AS alias], ...]
 *   FROM table [alias] | FROM (subquery) [alias]
 *   [WHERE comparisons, AND/OR/NOT, parentheses, [NOT] IN (...), [NOT] LIKE, IS [NOT] NULL,
 *    [NOT] BETWEEN, TO_DATE('...', 'YYYY-MM-DD[ HH24:MI:SS]')]
 *   [GROUP BY col, ...] (on a table, not a subquery)
 *   [ORDER BY col [ASC|DESC], ...]
 * Paging is limit/offset from the URL. Anything else is answered as NetSuite answers a query it
 * cannot run: 400 INVALID_PARAMETER with "Invalid search query. ...".
 *
 * Tables keep their rows sorted by numeric id, so `id > n` / `id < n` conjuncts become a binary
 * search and an id-ordered page is a slice: a 250,000-row keyset scan costs O(page) per request.
 */

import { groupRows } from './suiteql-grouping.js';

export type SqlRow = Record<string, string | null | undefined>;

export interface SqlTable {
  readonly name: string;
  /** Rows sorted by ascending numeric id. */
  rows(): readonly SqlRow[];
  /** The numeric id of each row, same order as rows(). */
  ids(): readonly number[];
  /** Every column a row may have (lower case). */
  hasColumn(name: string): boolean;
  /** The column `ids()` holds, when it is not `id` (`transactionline` is keyed by `uniquekey`). */
  readonly keyColumn?: string;
}

export class SuiteqlSyntaxError extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}

type Token =
  | { k: 'id'; v: string; u: string }
  | { k: 'str'; v: string }
  | { k: 'num'; v: number }
  | { k: 'op'; v: string }
  | { k: 'end' };

const UNSUPPORTED = 'Search error occurred: Invalid or unsupported search.';
/** An Oracle numeric literal, read whole however long its plain decimal form is. */
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;

function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) throw new SuiteqlSyntaxError(UNSUPPORTED);
      i = end + 2;
      continue;
    }
    if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= n)
          throw new SuiteqlSyntaxError('Search error occurred: Unterminated string literal.');
        const d = sql[i]!;
        if (d === "'") {
          if (sql[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += d;
        i++;
      }
      out.push({ k: 'str', v });
      continue;
    }
    if ((c >= '0' && c <= '9') || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(sql)!;
      out.push({ k: 'num', v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$.]/.test(sql[j]!)) j++;
      const v = sql.slice(i, j);
      out.push({ k: 'id', v, u: v.toUpperCase() });
      i = j;
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (two === '<>' || two === '!=' || two === '<=' || two === '>=') {
      out.push({ k: 'op', v: two });
      i += 2;
      continue;
    }
    if ('=<>(),*;-'.includes(c)) {
      out.push({ k: 'op', v: c });
      i++;
      continue;
    }
    throw new SuiteqlSyntaxError(UNSUPPORTED);
  }
  out.push({ k: 'end' });
  return out;
}

type Value = string | number | null | { date: number };

type Expr =
  | { t: 'col'; name: string }
  | { t: 'lit'; v: Value }
  | { t: 'cmp'; op: string; a: Expr; b: Expr }
  | { t: 'and' | 'or'; a: Expr; b: Expr }
  | { t: 'not'; e: Expr }
  | { t: 'in'; e: Expr; list: Expr[]; not: boolean }
  | { t: 'like'; e: Expr; re: RegExp; not: boolean }
  | { t: 'isnull'; e: Expr; not: boolean }
  | { t: 'between'; e: Expr; lo: Expr; hi: Expr; not: boolean };

interface SelectItem {
  column: string;
  alias: string;
  /** `TO_CHAR(column, '<format>')`: the value rendered with an Oracle date format. */
  format?: string;
  /** `COUNT(*)` (column `*`) or `COUNT(column)`. */
  count?: true;
}

interface OrderItem {
  column: string;
  desc: boolean;
}

export interface Select {
  columns: '*' | SelectItem[];
  from: { table: string } | { sub: Select };
  where?: Expr;
  /** `GROUP BY` columns. */
  groupBy?: string[];
  orderBy: OrderItem[];
}

const RESERVED = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'ORDER',
  'BY',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'IS',
  'NULL',
  'BETWEEN',
  'ASC',
  'DESC',
  'AS',
  'JOIN',
  'LEFT',
  'RIGHT',
  'INNER',
  'OUTER',
  'ON',
  'GROUP',
  'HAVING',
  'UNION',
  'DISTINCT',
  'FETCH',
  'OFFSET',
  'LIMIT',
]);

function unqualified(name: string): string {
  const dot = name.lastIndexOf('.');
  return (dot === -1 ? name : name.slice(dot + 1)).toLowerCase();
}

function parseDate(text: string, format: string): number {
  const f = format.toUpperCase().replace(/\s+/g, ' ').trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(text.trim());
  if ((f !== 'YYYY-MM-DD' && f !== 'YYYY-MM-DD HH24:MI:SS') || !m) {
    throw new SuiteqlSyntaxError(
      `Search error occurred: Unsupported date literal TO_DATE('${text}', '${format}').`,
    );
  }
  const [year, month, day, hour, minute, second] = m.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // Oracle refuses what is not a calendar date: ORA-01841 (year 0), ORA-01843 (month),
  // ORA-01839 / ORA-01847 (day of month), ORA-01850 (hour), ORA-01851/01852 (minute, second).
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(ms);
  if (
    year === 0 ||
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new SuiteqlSyntaxError(
      `Search error occurred: TO_DATE('${text}', '${format}') is not a valid date (date not valid for month specified).`,
    );
  }
  return ms;
}

function likeToRegExp(pattern: string): RegExp {
  let src = '^';
  for (const ch of pattern) {
    if (ch === '%') src += '[\\s\\S]*';
    else if (ch === '_') src += '[\\s\\S]';
    else src += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${src}$`);
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[this.pos + offset] ?? { k: 'end' };
  }
  private next(): Token {
    return this.tokens[this.pos++] ?? { k: 'end' };
  }
  private isKw(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.k === 'id' && t.u === word;
  }
  private isOp(op: string): boolean {
    const t = this.peek();
    return t.k === 'op' && t.v === op;
  }
  private expectKw(word: string): void {
    if (!this.isKw(word)) throw new SuiteqlSyntaxError(UNSUPPORTED);
    this.pos++;
  }
  private expectOp(op: string): void {
    if (!this.isOp(op)) throw new SuiteqlSyntaxError(UNSUPPORTED);
    this.pos++;
  }

  parseStatement(): Select {
    const select = this.parseSelect();
    if (this.isOp(';')) this.pos++;
    if (this.peek().k !== 'end') throw new SuiteqlSyntaxError(UNSUPPORTED);
    return select;
  }

  private parseSelect(): Select {
    this.expectKw('SELECT');
    let columns: Select['columns'];
    if (this.isOp('*')) {
      this.pos++;
      columns = '*';
    } else {
      columns = [];
      let expressions = 0;
      for (;;) {
        const t = this.next();
        let format: string | undefined;
        let count = false;
        let column: string;
        let alias: string;
        if (t.k === 'id' && t.u === 'COUNT' && this.isOp('(')) {
          // COUNT(*) or COUNT(column); unaliased, named exprN like other expressions.
          this.pos++;
          if (this.isOp('*')) {
            this.pos++;
            column = '*';
          } else {
            const c = this.next();
            if (c.k !== 'id' || RESERVED.has(c.u)) throw new SuiteqlSyntaxError(UNSUPPORTED);
            column = unqualified(c.v);
          }
          this.expectOp(')');
          count = true;
          alias = `expr${expressions + 1}`;
        } else if (t.k === 'id' && t.u === 'TO_CHAR' && this.isOp('(')) {
          // TO_CHAR(column, 'format'); unaliased, NetSuite names it exprN like Oracle.
          this.pos++;
          const c = this.next();
          if (c.k !== 'id' || RESERVED.has(c.u)) throw new SuiteqlSyntaxError(UNSUPPORTED);
          this.expectOp(',');
          const f = this.next();
          if (f.k !== 'str') throw new SuiteqlSyntaxError(UNSUPPORTED);
          this.expectOp(')');
          column = unqualified(c.v);
          format = f.v;
          alias = `expr${expressions + 1}`;
        } else {
          if (t.k !== 'id' || RESERVED.has(t.u) || this.isOp('(')) {
            throw new SuiteqlSyntaxError(UNSUPPORTED);
          }
          column = unqualified(t.v);
          alias = column;
        }
        if (this.isKw('AS')) {
          this.pos++;
          const a = this.next();
          if (a.k !== 'id') throw new SuiteqlSyntaxError(UNSUPPORTED);
          alias = a.v.toLowerCase();
        } else if (this.peek().k === 'id' && !RESERVED.has((this.peek() as { u: string }).u)) {
          alias = (this.next() as { v: string }).v.toLowerCase();
        }
        // Unaliased expressions are numbered in order: expr1, expr2, ...
        if ((format !== undefined || count) && alias === `expr${expressions + 1}`) expressions++;
        columns.push({
          column,
          alias,
          ...(format === undefined ? {} : { format }),
          ...(count ? { count: true as const } : {}),
        });
        if (!this.isOp(',')) break;
        this.pos++;
      }
    }
    this.expectKw('FROM');
    let from: Select['from'];
    if (this.isOp('(')) {
      this.pos++;
      from = { sub: this.parseSelect() };
      this.expectOp(')');
    } else {
      const t = this.next();
      if (t.k !== 'id' || RESERVED.has(t.u)) throw new SuiteqlSyntaxError(UNSUPPORTED);
      from = { table: t.v.toLowerCase() };
    }
    if (this.peek().k === 'id' && !RESERVED.has((this.peek() as { u: string }).u)) this.pos++;
    if (this.isOp(',')) throw new SuiteqlSyntaxError(UNSUPPORTED);
    const select: Select = { columns, from, orderBy: [] };
    if (this.isKw('WHERE')) {
      this.pos++;
      select.where = this.parseOr();
    }
    if (this.isKw('GROUP')) {
      this.pos++;
      this.expectKw('BY');
      select.groupBy = [];
      for (;;) {
        const t = this.next();
        if (t.k !== 'id' || RESERVED.has(t.u)) throw new SuiteqlSyntaxError(UNSUPPORTED);
        select.groupBy.push(unqualified(t.v));
        if (!this.isOp(',')) break;
        this.pos++;
      }
    }
    if (this.isKw('ORDER')) {
      this.pos++;
      this.expectKw('BY');
      for (;;) {
        const t = this.next();
        if (t.k !== 'id' || RESERVED.has(t.u)) throw new SuiteqlSyntaxError(UNSUPPORTED);
        let desc = false;
        if (this.isKw('ASC')) this.pos++;
        else if (this.isKw('DESC')) {
          this.pos++;
          desc = true;
        }
        select.orderBy.push({ column: unqualified(t.v), desc });
        if (!this.isOp(',')) break;
        this.pos++;
      }
    }
    return select;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isKw('OR')) {
      this.pos++;
      left = { t: 'or', a: left, b: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isKw('AND')) {
      this.pos++;
      left = { t: 'and', a: left, b: this.parseNot() };
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.isKw('NOT')) {
      this.pos++;
      return { t: 'not', e: this.parseNot() };
    }
    return this.parsePredicate();
  }

  private parsePredicate(): Expr {
    if (this.isOp('(')) {
      this.pos++;
      const inner = this.parseOr();
      this.expectOp(')');
      return inner;
    }
    const left = this.parseOperand();
    const t = this.peek();
    if (t.k === 'op' && ['=', '<>', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      this.pos++;
      return { t: 'cmp', op: t.v === '!=' ? '<>' : t.v, a: left, b: this.parseOperand() };
    }
    if (this.isKw('IS')) {
      this.pos++;
      let not = false;
      if (this.isKw('NOT')) {
        this.pos++;
        not = true;
      }
      this.expectKw('NULL');
      return { t: 'isnull', e: left, not };
    }
    let not = false;
    if (this.isKw('NOT')) {
      this.pos++;
      not = true;
    }
    if (this.isKw('IN')) {
      this.pos++;
      this.expectOp('(');
      const list: Expr[] = [this.parseOperand()];
      while (this.isOp(',')) {
        this.pos++;
        list.push(this.parseOperand());
      }
      this.expectOp(')');
      return { t: 'in', e: left, list, not };
    }
    if (this.isKw('LIKE')) {
      this.pos++;
      const p = this.next();
      if (p.k !== 'str') throw new SuiteqlSyntaxError(UNSUPPORTED);
      return { t: 'like', e: left, re: likeToRegExp(p.v), not };
    }
    if (this.isKw('BETWEEN')) {
      this.pos++;
      const lo = this.parseOperand();
      this.expectKw('AND');
      return { t: 'between', e: left, lo, hi: this.parseOperand(), not };
    }
    throw new SuiteqlSyntaxError(UNSUPPORTED);
  }

  private parseOperand(): Expr {
    const t = this.next();
    if (t.k === 'str') return { t: 'lit', v: t.v };
    if (t.k === 'num') return { t: 'lit', v: t.v };
    if (t.k === 'op' && t.v === '-') {
      // A negative number literal (unary minus).
      const n = this.next();
      if (n.k !== 'num') throw new SuiteqlSyntaxError(UNSUPPORTED);
      return { t: 'lit', v: -n.v };
    }
    if (t.k === 'op' && t.v === '(') {
      const inner = this.parseOperand();
      this.expectOp(')');
      return inner;
    }
    if (t.k === 'id') {
      if (t.u === 'NULL') return { t: 'lit', v: null };
      if (t.u === 'TO_DATE' && this.isOp('(')) {
        this.pos++;
        const text = this.next();
        this.expectOp(',');
        const format = this.next();
        this.expectOp(')');
        if (text.k !== 'str' || format.k !== 'str') throw new SuiteqlSyntaxError(UNSUPPORTED);
        return { t: 'lit', v: { date: parseDate(text.v, format.v) } };
      }
      if (RESERVED.has(t.u) || this.isOp('(')) throw new SuiteqlSyntaxError(UNSUPPORTED);
      return { t: 'col', name: unqualified(t.v) };
    }
    throw new SuiteqlSyntaxError(UNSUPPORTED);
  }
}

export function parseSuiteql(sql: string): Select {
  return new Parser(tokenize(sql)).parseStatement();
}

// ---- planning ----

interface Plan {
  table: string;
  output: SelectItem[] | '*';
  where?: Expr;
  groupBy?: string[];
  orderBy: OrderItem[];
}

function isGrouped(select: { columns: Select['columns']; groupBy?: string[] }): boolean {
  return (
    select.groupBy !== undefined || (select.columns !== '*' && select.columns.some((c) => c.count))
  );
}

function mapColumns(expr: Expr, resolve: (name: string) => string): Expr {
  switch (expr.t) {
    case 'col':
      return { t: 'col', name: resolve(expr.name) };
    case 'lit':
      return expr;
    case 'cmp':
      return { ...expr, a: mapColumns(expr.a, resolve), b: mapColumns(expr.b, resolve) };
    case 'and':
    case 'or':
      return { t: expr.t, a: mapColumns(expr.a, resolve), b: mapColumns(expr.b, resolve) };
    case 'not':
      return { t: 'not', e: mapColumns(expr.e, resolve) };
    case 'in':
      return {
        ...expr,
        e: mapColumns(expr.e, resolve),
        list: expr.list.map((x) => mapColumns(x, resolve)),
      };
    case 'like':
    case 'isnull':
      return { ...expr, e: mapColumns(expr.e, resolve) };
    case 'between':
      return {
        ...expr,
        e: mapColumns(expr.e, resolve),
        lo: mapColumns(expr.lo, resolve),
        hi: mapColumns(expr.hi, resolve),
      };
  }
}

/** Flattens `SELECT ... FROM (SELECT ... FROM table ...) WHERE ... ORDER BY ...` into one plan. */
function plan(select: Select): Plan {
  if ('table' in select.from) {
    return {
      table: select.from.table,
      output: select.columns,
      ...(select.where ? { where: select.where } : {}),
      ...(isGrouped(select) ? { groupBy: select.groupBy ?? [] } : {}),
      orderBy: select.orderBy,
    };
  }
  // Grouping inside or over a subquery is not flattened: refused as unsupported.
  if (isGrouped(select) || isGrouped(select.from.sub)) throw new SuiteqlSyntaxError(UNSUPPORTED);
  const inner = plan(select.from.sub);
  const innerOut = inner.output;
  const resolveItem = (name: string): SelectItem => {
    if (innerOut === '*') return { column: name, alias: name };
    const found = innerOut.find((c) => c.alias === name);
    if (!found) {
      throw new SuiteqlSyntaxError(`Search error occurred: Unknown identifier '${name}'.`);
    }
    return found;
  };
  const resolve = (name: string): string => resolveItem(name).column;
  const outerWhere = select.where ? mapColumns(select.where, resolve) : undefined;
  const where =
    inner.where && outerWhere
      ? ({ t: 'and', a: inner.where, b: outerWhere } as Expr)
      : (inner.where ?? outerWhere);
  const output: Plan['output'] =
    select.columns === '*'
      ? innerOut
      : select.columns.map((c) => {
          const inner = resolveItem(c.column);
          const format = c.format ?? inner.format;
          return { column: inner.column, alias: c.alias, ...(format ? { format } : {}) };
        });
  const orderBy =
    select.orderBy.length > 0
      ? select.orderBy.map((o) => ({ column: resolve(o.column), desc: o.desc }))
      : inner.orderBy;
  return { table: inner.table, output, ...(where ? { where } : {}), orderBy };
}

function columnsOf(expr: Expr | undefined, into: Set<string>): Set<string> {
  if (!expr) return into;
  switch (expr.t) {
    case 'col':
      into.add(expr.name);
      break;
    case 'cmp':
    case 'and':
    case 'or':
      columnsOf(expr.a, into);
      columnsOf(expr.b, into);
      break;
    case 'not':
    case 'like':
    case 'isnull':
      columnsOf(expr.e, into);
      break;
    case 'in':
      columnsOf(expr.e, into);
      for (const x of expr.list) columnsOf(x, into);
      break;
    case 'between':
      columnsOf(expr.e, into);
      columnsOf(expr.lo, into);
      columnsOf(expr.hi, into);
      break;
  }
  return into;
}

// ---- evaluation (three-valued: true, false, null = unknown) ----

function isNumeric(s: string): boolean {
  return s !== '' && Number.isFinite(Number(s)) && !/^\s|\s$/.test(s);
}

function evalValue(expr: Expr, row: SqlRow): Value {
  if (expr.t === 'col') return row[expr.name] ?? null;
  if (expr.t === 'lit') return expr.v;
  throw new SuiteqlSyntaxError(UNSUPPORTED);
}

function toDateMs(v: Value): number {
  if (typeof v === 'object' && v !== null) return v.date;
  if (typeof v === 'number') return v;
  const text = v as string;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (us) return Date.UTC(+us[3]!, +us[1]! - 1, +us[2]!);
  return Date.parse(text);
}

function compare(a: Value, b: Value): number | null {
  if (a === null || b === null) return null;
  if (typeof a === 'object' || typeof b === 'object') {
    const x = toDateMs(a);
    const y = toDateMs(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return null;
    return x - y;
  }
  if (typeof a === 'number' || typeof b === 'number' || (isNumeric(a) && isNumeric(b))) {
    const x = Number(a);
    const y = Number(b);
    if (Number.isNaN(x) || Number.isNaN(y))
      return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
    return x - y;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function not3(v: boolean | null): boolean | null {
  return v === null ? null : !v;
}

function evalBool(expr: Expr, row: SqlRow): boolean | null {
  switch (expr.t) {
    case 'and': {
      const a = evalBool(expr.a, row);
      if (a === false) return false;
      const b = evalBool(expr.b, row);
      if (b === false) return false;
      return a === null || b === null ? null : true;
    }
    case 'or': {
      const a = evalBool(expr.a, row);
      if (a === true) return true;
      const b = evalBool(expr.b, row);
      if (b === true) return true;
      return a === null || b === null ? null : false;
    }
    case 'not':
      return not3(evalBool(expr.e, row));
    case 'cmp': {
      const c = compare(evalValue(expr.a, row), evalValue(expr.b, row));
      if (c === null) return null;
      switch (expr.op) {
        case '=':
          return c === 0;
        case '<>':
          return c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        default:
          return c >= 0;
      }
    }
    case 'in': {
      const v = evalValue(expr.e, row);
      if (v === null) return null;
      let unknown = false;
      for (const item of expr.list) {
        const c = compare(v, evalValue(item, row));
        if (c === 0) return !expr.not;
        if (c === null) unknown = true;
      }
      return unknown ? null : expr.not;
    }
    case 'like': {
      const v = evalValue(expr.e, row);
      if (v === null) return null;
      const hit = expr.re.test(typeof v === 'object' ? String(v.date) : String(v));
      return expr.not ? !hit : hit;
    }
    case 'isnull': {
      const v = evalValue(expr.e, row);
      return expr.not ? v !== null : v === null;
    }
    case 'between': {
      const v = evalValue(expr.e, row);
      const lo = compare(v, evalValue(expr.lo, row));
      const hi = compare(v, evalValue(expr.hi, row));
      if (lo === null || hi === null) return null;
      const inside = lo >= 0 && hi <= 0;
      return expr.not ? !inside : inside;
    }
    default:
      throw new SuiteqlSyntaxError(UNSUPPORTED);
  }
}

/** Splits an AND tree into `id` range bounds (served by binary search) and the rest. */
function splitIdRange(
  where: Expr | undefined,
  key: string,
): { lo: number; hi: number; rest: Expr[] } {
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  const rest: Expr[] = [];
  const visit = (e: Expr) => {
    if (e.t === 'and') {
      visit(e.a);
      visit(e.b);
      return;
    }
    if (e.t === 'cmp' && e.a.t === 'col' && e.a.name === key && e.b.t === 'lit') {
      const v = e.b.v;
      const n = typeof v === 'number' ? v : typeof v === 'string' && isNumeric(v) ? Number(v) : NaN;
      if (!Number.isNaN(n)) {
        if (e.op === '>') lo = Math.max(lo, Math.floor(n) + 1);
        else if (e.op === '>=') lo = Math.max(lo, Math.ceil(n));
        else if (e.op === '<') hi = Math.min(hi, Math.ceil(n) - 1);
        else if (e.op === '<=') hi = Math.min(hi, Math.floor(n));
        else if (e.op === '=' && Number.isInteger(n)) {
          lo = Math.max(lo, n);
          hi = Math.min(hi, n);
        } else if (e.op === '=') {
          // Ids are integers: `id = 1.5` (or 1e-7) is false for every row, as in Oracle.
          lo = Number.POSITIVE_INFINITY;
          hi = Number.NEGATIVE_INFINITY;
        } else rest.push(e);
        return;
      }
    }
    rest.push(e);
  };
  if (where) visit(where);
  return { lo, hi, rest };
}

function lowerBound(ids: readonly number[], value: number): number {
  let a = 0;
  let b = ids.length;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (ids[m]! < value) a = m + 1;
    else b = m;
  }
  return a;
}

export interface SuiteqlResult {
  items: Record<string, unknown>[];
  totalResults: number;
}

/** Runs a query against the tables and returns one page (items carry `links: []` as NetSuite's do). */
const ISO_VALUE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A stored ISO date(-time) in the user's date preference: NetSuite's US default `M/D/YYYY`. */
function accountDate(value: string): string {
  const m = ISO_VALUE.exec(value);
  return m ? `${Number(m[2])}/${Number(m[3])}/${m[1]}` : value;
}

/**
 * `TO_CHAR` of a stored ISO date(-time) with an Oracle format: YYYY, MM, DD, HH24, HH, MI, SS
 * and `"quoted"` literal text; other characters are kept. A value that is not a date is returned
 * as it is.
 */
function toChar(value: string, format: string): string {
  const m = ISO_VALUE.exec(value);
  if (!m) return value;
  const [, y, mo, d, h = '00', mi = '00', sec = '00'] = m;
  const hour12 = String(((Number(h) + 11) % 12) + 1).padStart(2, '0');
  return format.replace(/"([^"]*)"|YYYY|HH24|HH|MM|DD|MI|SS/gi, (token, literal?: string) => {
    if (literal !== undefined) return literal;
    switch (token.toUpperCase()) {
      case 'YYYY':
        return y!;
      case 'MM':
        return mo!;
      case 'DD':
        return d!;
      case 'HH24':
        return h;
      case 'HH':
        return hour12;
      case 'MI':
        return mi;
      default:
        return sec;
    }
  });
}

function checkColumns(table: SqlTable, used: Iterable<string>): void {
  for (const c of used) {
    if (!table.hasColumn(c)) {
      throw new SuiteqlSyntaxError(
        `Search error occurred: Unknown identifier '${c}'. Available identifiers are: {${table.name}=${table.name}}.`,
      );
    }
  }
}

/** Rows of the table that the WHERE clause keeps, in id order. */
function matchingRows(table: SqlTable, where: Expr | undefined): SqlRow[] {
  const rows = table.rows();
  const ids = table.ids();
  const range = splitIdRange(where, table.keyColumn ?? 'id');
  const start = range.lo === Number.NEGATIVE_INFINITY ? 0 : lowerBound(ids, range.lo);
  const end = range.hi === Number.POSITIVE_INFINITY ? ids.length : lowerBound(ids, range.hi + 1);
  const matches: SqlRow[] = [];
  for (let i = start; i < end; i++) {
    const row = rows[i]!;
    if (range.rest.every((e) => evalBool(e, row) === true)) matches.push(row);
  }
  return matches;
}

/** Sorts rows by ORDER BY items: Oracle's NULLS LAST for ASC, NULLS FIRST for DESC. */
function sortRows(rows: SqlRow[], order: readonly OrderItem[]): void {
  rows.sort((x, y) => {
    for (const o of order) {
      const a = x[o.column] ?? null;
      const b = y[o.column] ?? null;
      if (a === null || b === null) {
        if (a === b) continue;
        return (a === null ? 1 : -1) * (o.desc ? -1 : 1);
      }
      const c = compare(a, b)!;
      if (c !== 0) return o.desc ? -c : c;
    }
    return 0;
  });
}

/**
 * A `GROUP BY` / `COUNT` query: every selected column that is not a count must be grouped
 * (Oracle's ORA-00979 "not a GROUP BY expression" otherwise), and ORDER BY names an output
 * alias or a grouping column.
 */
function runGrouped(
  p: Plan,
  groupBy: string[],
  table: SqlTable,
  page: { limit: number; offset: number },
  show: (v: string) => string,
): SuiteqlResult {
  if (p.output === '*') throw new SuiteqlSyntaxError(UNSUPPORTED);
  const output = p.output;
  for (const c of output) {
    if (!c.count && (c.format !== undefined || !groupBy.includes(c.column))) {
      throw new SuiteqlSyntaxError(
        `Search error occurred: ORA-00979: not a GROUP BY expression ('${c.column}').`,
      );
    }
  }
  const used = columnsOf(p.where, new Set<string>(groupBy));
  for (const c of output) if (c.column !== '*') used.add(c.column);
  checkColumns(table, used);
  const known = new Set([...groupBy, ...output.map((c) => c.alias)]);
  for (const o of p.orderBy) {
    if (!known.has(o.column)) {
      throw new SuiteqlSyntaxError(`Search error occurred: Unknown identifier '${o.column}'.`);
    }
  }
  const grouped = groupRows(matchingRows(table, p.where), output, groupBy);
  sortRows(grouped, p.orderBy);
  const items = grouped.slice(page.offset, page.offset + page.limit).map((row) => {
    const item: Record<string, unknown> = { links: [] };
    for (const c of output) {
      const v = row[c.alias];
      if (v !== null && v !== undefined) item[c.alias] = c.count ? v : show(v);
    }
    return item;
  });
  return { items, totalResults: grouped.length };
}

export function runSuiteql(
  sql: string,
  tables: (name: string) => SqlTable | undefined,
  page: { limit: number; offset: number },
  /** `account`: dates as the user's date preference shows them (no time), as NetSuite answers. */
  dates: 'iso' | 'account' = 'iso',
): SuiteqlResult {
  const show = (v: string): string => (dates === 'account' ? accountDate(v) : v);
  const p = plan(parseSuiteql(sql));
  const table = tables(p.table);
  if (!table) throw new SuiteqlSyntaxError(`Invalid search type: ${p.table}.`);
  if (p.groupBy !== undefined) return runGrouped(p, p.groupBy, table, page, show);
  const used = columnsOf(p.where, new Set<string>());
  if (p.output !== '*') for (const c of p.output) used.add(c.column);
  for (const o of p.orderBy) used.add(o.column);
  for (const c of used) {
    if (!table.hasColumn(c)) {
      throw new SuiteqlSyntaxError(
        `Search error occurred: Unknown identifier '${c}'. Available identifiers are: {${table.name}=${table.name}}.`,
      );
    }
  }
  const rows = table.rows();
  const ids = table.ids();
  const key = table.keyColumn ?? 'id';
  const range = splitIdRange(p.where, key);
  const start = range.lo === Number.NEGATIVE_INFINITY ? 0 : lowerBound(ids, range.lo);
  const end = range.hi === Number.POSITIVE_INFINITY ? ids.length : lowerBound(ids, range.hi + 1);
  const residual = range.rest.reduce<Expr | undefined>(
    (acc, e) => (acc ? { t: 'and', a: acc, b: e } : e),
    undefined,
  );
  const byIdOnly =
    p.orderBy.length === 0 || (p.orderBy.length === 1 && p.orderBy[0]!.column === key);
  const descending = byIdOnly && p.orderBy[0]?.desc === true;

  let selected: SqlRow[];
  let total: number;
  if (byIdOnly && !residual) {
    total = Math.max(0, end - start);
    if (descending) {
      const from = end - page.offset;
      selected = [];
      for (let i = from - 1; i >= Math.max(start, from - page.limit); i--) selected.push(rows[i]!);
    } else {
      selected = rows.slice(
        start + page.offset,
        Math.min(end, start + page.offset + page.limit),
      ) as SqlRow[];
    }
  } else {
    const matches: SqlRow[] = [];
    for (let i = start; i < end; i++) {
      const row = rows[i]!;
      if (!residual || evalBool(residual, row) === true) matches.push(row);
    }
    if (descending) matches.reverse();
    else if (!byIdOnly) sortRows(matches, p.orderBy);
    total = matches.length;
    selected = matches.slice(page.offset, page.offset + page.limit);
  }

  const items = selected.map((row) => {
    const item: Record<string, unknown> = { links: [] };
    if (p.output === '*') {
      for (const key of Object.keys(row)) {
        const v = row[key];
        if (v !== null && v !== undefined) item[key] = show(v);
      }
    } else {
      for (const c of p.output) {
        const v = row[c.column];
        if (v === null || v === undefined) continue;
        item[c.alias] = c.format === undefined ? show(v) : toChar(v, c.format);
      }
    }
    return item;
  });
  return { items, totalResults: total };
}
