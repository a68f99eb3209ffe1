/** The SOQL subset the emulator understands, parsed into a small AST. */

export class SoqlSyntaxError extends Error {
  /** Offset in the query text where the problem is, when known. */
  constructor(
    message: string,
    readonly pos?: number,
  ) {
    super(message);
  }
}

export type SoqlLiteral =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; value: number }
  | { kind: 'dateLiteral'; name: string; n?: number };

export type SoqlExpr =
  | { type: 'and' | 'or'; left: SoqlExpr; right: SoqlExpr }
  | { type: 'not'; expr: SoqlExpr }
  | { type: 'cmp'; path: string; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: SoqlLiteral }
  | { type: 'in'; path: string; negate: boolean; values: SoqlLiteral[] }
  | { type: 'like'; path: string; negate: boolean; pattern: string };

export interface SoqlOrder {
  path: string;
  desc: boolean;
  nullsLast: boolean;
}

/** An aggregate in the SELECT list: `COUNT(Id)`, `SUM(Amount) total`. */
export interface SoqlAggregate {
  fn: 'COUNT' | 'COUNT_DISTINCT' | 'SUM' | 'AVG' | 'MIN' | 'MAX';
  path: string;
  alias?: string;
}

const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);

export interface SoqlQuery {
  fields: string[];
  aggregates: SoqlAggregate[];
  groupBy: string[];
  /** Parent-to-child subqueries in the SELECT list: `(SELECT Id FROM Contacts)`; FROM names the relationship. */
  subqueries: SoqlQuery[];
  count: boolean;
  from: string;
  where?: SoqlExpr;
  orderBy: SoqlOrder[];
  limit?: number;
  offset?: number;
}

type Token =
  | { t: 'ident'; v: string; pos: number }
  /**
   * v: the decoded value; like: the same text as a LIKE pattern in which every character that
   * came from an escape (\\, \%, \_) is kept behind a backslash and bare % and _ are wildcards;
   * likeOnly: it holds \% or \_, which Salesforce allows only in LIKE.
   */
  | { t: 'string'; v: string; like: string; likeOnly: boolean; pos: number }
  | { t: 'number'; v: number; pos: number }
  | { t: 'date'; v: string; pos: number }
  | { t: 'datetime'; v: number; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'punct'; v: string; pos: number }
  | { t: 'eof'; pos: number };

const DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(:\d+)?/;
const NUMBER = /^-?\d+(\.\d+)?/;

/** Quoted string escapes (letters in either case), per Salesforce's "Quoted String Escape Sequences". */
const ESCAPES: Record<string, string> = {
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

/** YYYY-MM-DD names a day that exists (Date.parse would take 2024-02-30 as March 1). */
function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = text.slice(i, i + 40);
    if (ch === "'") {
      let value = '';
      let like = '';
      let likeOnly = false;
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new SoqlSyntaxError('unterminated string literal', i);
        const c = text[j] as string;
        if (c === "'") break;
        if (c === '\\') {
          const next = text[j + 1] ?? '';
          if (next === 'u') {
            const hex = text.slice(j + 2, j + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex))
              throw new SoqlSyntaxError('Invalid string literal: bad \\u escape', j);
            const decoded = String.fromCharCode(Number.parseInt(hex, 16));
            value += decoded;
            like += decoded;
            j += 6;
            continue;
          }
          if (next === '%' || next === '_' || next === '\\') {
            // \\ is one backslash; \% and \_ (LIKE only) one literal % or _: in the LIKE form
            // each stays behind a backslash, so `\\%` reads as a backslash then a wildcard.
            if (next !== '\\') likeOnly = true;
            value += next;
            like += `\\${next}`;
            j += 2;
            continue;
          }
          const mapped = ESCAPES[next];
          if (mapped === undefined)
            throw new SoqlSyntaxError(`Invalid string literal: illegal escape \\${next}`, j);
          value += mapped;
          like += mapped;
          j += 2;
          continue;
        }
        value += c;
        like += c;
        j++;
      }
      tokens.push({ t: 'string', v: value, like, likeOnly, pos: i });
      i = j + 1;
      continue;
    }
    const dt = DATETIME.exec(rest);
    if (dt) {
      const zone = dt[4] === 'Z' ? 'Z' : `${dt[4]?.slice(0, 3)}:${dt[4]?.slice(-2)}`;
      const ms = Date.parse(`${dt[1]}T${dt[2]}${dt[3] ?? ''}${zone}`);
      if (Number.isNaN(ms) || !isCalendarDate(dt[1] as string))
        throw new SoqlSyntaxError(`invalid datetime ${dt[0]}`, i);
      tokens.push({ t: 'datetime', v: ms, pos: i });
      i += dt[0].length;
      continue;
    }
    const d = DATE.exec(rest);
    if (d) {
      if (!isCalendarDate(d[0])) throw new SoqlSyntaxError(`invalid date ${d[0]}`, i);
      tokens.push({ t: 'date', v: d[0], pos: i });
      i += d[0].length;
      continue;
    }
    const num = NUMBER.exec(text.slice(i));
    if (num && (ch !== '-' || /\d/.test(text[i + 1] ?? ''))) {
      tokens.push({ t: 'number', v: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    const id = IDENT.exec(text.slice(i));
    if (id) {
      tokens.push({ t: 'ident', v: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ t: 'op', v: two === '<>' ? '!=' : two, pos: i });
      i += 2;
      continue;
    }
    if (ch === '=' || ch === '<' || ch === '>') {
      tokens.push({ t: 'op', v: ch, pos: i });
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ t: 'punct', v: ch, pos: i });
      i++;
      continue;
    }
    throw new SoqlSyntaxError(`unexpected token: '${ch}'`, i);
  }
  tokens.push({ t: 'eof', pos: text.length });
  return tokens;
}

const DATE_LITERALS = new Set([
  'TODAY',
  'YESTERDAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'THIS_YEAR',
  'LAST_YEAR',
  'NEXT_YEAR',
  'LAST_N_DAYS',
  'NEXT_N_DAYS',
]);

const RESERVED = new Set([
  'SELECT',
  'GROUP',
  'HAVING',
  'FROM',
  'WHERE',
  'ORDER',
  'BY',
  'LIMIT',
  'OFFSET',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
]);

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }
  private next(): Token {
    return this.tokens[this.i++] as Token;
  }
  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.t === 'ident' && t.v.toUpperCase() === word;
  }
  private expectKeyword(word: string): void {
    if (!this.isKeyword(word)) this.fail(`expecting ${word}`);
    this.i++;
  }
  /** Salesforce's wording: `unexpected token: 'FROMM'` or `'<EOF>'`; `what` is kept for our own reading. */
  private fail(what: string): never {
    const t = this.peek();
    const found = t.t === 'eof' ? '<EOF>' : 'v' in t ? String(t.v) : '';
    const error = new SoqlSyntaxError(`unexpected token: '${found}'`, t.pos);
    error.cause = what;
    throw error;
  }
  private ident(what: string): string {
    const t = this.peek();
    if (t.t !== 'ident' || (RESERVED.has(t.v.toUpperCase()) && !this.isOrderObject()))
      this.fail(`expecting ${what}`);
    this.i++;
    return t.v;
  }
  /** `Order` names the Order object unless `BY` follows it (`FROM Order ORDER BY Name`). */
  private isOrderObject(): boolean {
    const t = this.peek();
    const after = this.tokens[this.i + 1];
    return (
      t.t === 'ident' &&
      t.v.toUpperCase() === 'ORDER' &&
      !(after?.t === 'ident' && after.v.toUpperCase() === 'BY')
    );
  }

  parse(): SoqlQuery {
    const query = this.select(false);
    if (this.peek().t !== 'eof') this.fail('expecting end of query');
    return query;
  }

  private select(nested: boolean): SoqlQuery {
    this.expectKeyword('SELECT');
    const fields: string[] = [];
    const subqueries: SoqlQuery[] = [];
    const aggregates: SoqlAggregate[] = [];
    let count = false;
    const after = this.tokens[this.i + 2];
    if (
      this.isKeyword('COUNT') &&
      this.tokens[this.i + 1]?.t === 'punct' &&
      after?.t === 'punct' &&
      after.v === ')'
    ) {
      this.i++;
      this.punct('(');
      this.punct(')');
      count = true;
    } else {
      for (;;) {
        const open = this.peek();
        if (open.t === 'punct' && open.v === '(') {
          if (nested) this.fail('expecting a field name: subqueries cannot be nested');
          this.i++;
          subqueries.push(this.select(true));
          this.punct(')');
        } else if (
          open.t === 'ident' &&
          AGGREGATES.has(open.v.toUpperCase()) &&
          this.tokens[this.i + 1]?.t === 'punct' &&
          (this.tokens[this.i + 1] as { v: string }).v === '('
        ) {
          this.i++;
          this.punct('(');
          const aggregate: SoqlAggregate = {
            fn: open.v.toUpperCase() as SoqlAggregate['fn'],
            path: this.ident('a field to aggregate'),
          };
          this.punct(')');
          const alias = this.peek();
          if (alias.t === 'ident' && !RESERVED.has(alias.v.toUpperCase())) {
            aggregate.alias = alias.v;
            this.i++;
          }
          aggregates.push(aggregate);
        } else fields.push(this.ident('a field name'));
        const t = this.peek();
        if (t.t === 'punct' && t.v === ',') {
          this.i++;
          continue;
        }
        break;
      }
    }
    this.expectKeyword('FROM');
    const from = this.ident('an object name');
    const query: SoqlQuery = {
      fields,
      aggregates,
      groupBy: [],
      subqueries,
      count,
      from,
      orderBy: [],
    };
    if (this.isKeyword('WHERE')) {
      this.i++;
      query.where = this.orExpr();
    }
    if (this.isKeyword('GROUP')) {
      this.i++;
      this.expectKeyword('BY');
      for (;;) {
        query.groupBy.push(this.ident('a field to group by'));
        const t = this.peek();
        if (t.t !== 'punct' || t.v !== ',') break;
        this.i++;
      }
    }
    if (this.isKeyword('ORDER')) {
      this.i++;
      this.expectKeyword('BY');
      for (;;) {
        const path = this.ident('a field to order by');
        let desc = false;
        if (this.isKeyword('ASC')) this.i++;
        else if (this.isKeyword('DESC')) {
          this.i++;
          desc = true;
        }
        let nullsLast = desc;
        if (this.isKeyword('NULLS')) {
          this.i++;
          if (this.isKeyword('FIRST')) nullsLast = false;
          else if (this.isKeyword('LAST')) nullsLast = true;
          else this.fail('expecting FIRST or LAST');
          this.i++;
        }
        query.orderBy.push({ path, desc, nullsLast });
        const t = this.peek();
        if (t.t === 'punct' && t.v === ',') {
          this.i++;
          continue;
        }
        break;
      }
    }
    if (this.isKeyword('LIMIT')) {
      this.i++;
      query.limit = this.count('LIMIT');
    }
    if (this.isKeyword('OFFSET')) {
      this.i++;
      query.offset = this.count('OFFSET');
    }
    return query;
  }

  private count(what: string): number {
    const t = this.next();
    if (t.t !== 'number' || !Number.isInteger(t.v) || t.v < 0) {
      this.i--;
      this.fail(`${what} needs a non-negative integer`);
    }
    return t.v;
  }

  private punct(p: string): void {
    const t = this.peek();
    if (t.t !== 'punct' || t.v !== p) this.fail(`expecting '${p}'`);
    this.i++;
  }

  private orExpr(): SoqlExpr {
    let left = this.andExpr();
    while (this.isKeyword('OR')) {
      this.i++;
      left = { type: 'or', left, right: this.andExpr() };
    }
    return left;
  }

  private andExpr(): SoqlExpr {
    let left = this.unary();
    while (this.isKeyword('AND')) {
      this.i++;
      left = { type: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): SoqlExpr {
    if (this.isKeyword('NOT')) {
      this.i++;
      return { type: 'not', expr: this.unary() };
    }
    const t = this.peek();
    if (t.t === 'punct' && t.v === '(') {
      this.i++;
      const inner = this.orExpr();
      this.punct(')');
      return inner;
    }
    return this.condition();
  }

  private condition(): SoqlExpr {
    const path = this.ident('a field name');
    if (this.isKeyword('NOT')) {
      this.i++;
      if (this.isKeyword('IN')) {
        this.i++;
        return { type: 'in', path, negate: true, values: this.list() };
      }
      if (this.isKeyword('LIKE')) {
        this.i++;
        return { type: 'like', path, negate: true, pattern: this.likePattern() };
      }
      this.fail('expecting IN or LIKE after NOT');
    }
    if (this.isKeyword('IN')) {
      this.i++;
      return { type: 'in', path, negate: false, values: this.list() };
    }
    if (this.isKeyword('LIKE')) {
      this.i++;
      return { type: 'like', path, negate: false, pattern: this.likePattern() };
    }
    const op = this.next();
    if (op.t !== 'op') {
      this.i--;
      this.fail('expecting a comparison operator');
    }
    return { type: 'cmp', path, op: op.v as '=', value: this.literal() };
  }

  private likePattern(): string {
    const t = this.next();
    if (t.t !== 'string') {
      this.i--;
      this.fail('LIKE needs a string');
    }
    return t.like;
  }

  private list(): SoqlLiteral[] {
    this.punct('(');
    const values: SoqlLiteral[] = [];
    for (;;) {
      values.push(this.literal());
      const t = this.peek();
      if (t.t === 'punct' && t.v === ',') {
        this.i++;
        continue;
      }
      break;
    }
    this.punct(')');
    return values;
  }

  private literal(): SoqlLiteral {
    const t = this.next();
    switch (t.t) {
      case 'string':
        if (t.likeOnly) {
          this.i--;
          this.fail('\\% and \\_ are only allowed in LIKE');
        }
        return { kind: 'string', value: t.v };
      case 'number':
        return { kind: 'number', value: t.v };
      case 'date':
        return { kind: 'date', value: t.v };
      case 'datetime':
        return { kind: 'datetime', value: t.v };
      case 'ident': {
        const upper = t.v.toUpperCase();
        if (upper === 'NULL') return { kind: 'null' };
        if (upper === 'TRUE' || upper === 'FALSE')
          return { kind: 'boolean', value: upper === 'TRUE' };
        const [name, n] = upper.split(':');
        if (name && DATE_LITERALS.has(name)) {
          const needsN = name.endsWith('_N_DAYS');
          if (needsN !== (n !== undefined)) this.fail(`bad date literal ${t.v}`);
          return n === undefined
            ? { kind: 'dateLiteral', name }
            : { kind: 'dateLiteral', name, n: Number(n) };
        }
        this.i--;
        return this.fail('expecting a value');
      }
      default:
        this.i--;
        return this.fail('expecting a value');
    }
  }
}

/** Parses a SOQL statement of the supported subset; throws SoqlSyntaxError on anything else. */
export function parseSoql(text: string): SoqlQuery {
  return new Parser(tokenize(text)).parse();
}
