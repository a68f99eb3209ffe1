/**
 * The record service's `q` filter for list requests: `field OPERATOR value` conditions joined by
 * AND / OR (AND binds tighter) with parentheses for precedence, for example
 * `email START_WITH "a" AND (isInactive IS false OR balance GREATER 0)`. The operators are the
 * ones Oracle's Record Collection Filtering table lists; every `X_NOT` is the negation of `X`.
 * Unary operators (EMPTY) take no value, BETWEEN and WITHIN take `[low, high]`, ANY_OF takes a
 * list; values may be quoted.
 */

export class RecordQueryError extends Error {}

type Condition = { field: string; op: string; negate: boolean; values: string[] };
type Expr = { kind: 'cond'; cond: Condition } | { kind: 'and' | 'or'; parts: Expr[] };

const BASE_OPERATORS = new Set([
  'IS',
  'EMPTY',
  'START_WITH',
  'CONTAIN',
  'END_WITH',
  'EQUAL',
  'GREATER',
  'GREATER_OR_EQUAL',
  'LESS',
  'LESS_OR_EQUAL',
  'ANY_OF',
  'BETWEEN',
  'WITHIN',
  'ON',
  'BEFORE',
  'AFTER',
  'ON_OR_AFTER',
  'ON_OR_BEFORE',
]);

/** `ENDWITH` is how Oracle's table spells the positive form once; both are accepted. */
const ALIASES: Record<string, string> = { ENDWITH: 'END_WITH' };

function operator(raw: string): { op: string; negate: boolean } | undefined {
  const upper = raw.toUpperCase();
  const negate = upper.endsWith('_NOT');
  const stem = negate ? upper.slice(0, -4) : upper;
  const op = ALIASES[stem] ?? stem;
  return BASE_OPERATORS.has(op) ? { op, negate } : undefined;
}

function tokens(q: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([[\](),])|([^\s,[\]()"']+))/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while (true) {
    m = re.exec(q);
    if (!m) break;
    last = re.lastIndex;
    const quoted = m[1] ?? m[2];
    if (quoted !== undefined) out.push(`"${quoted.replace(/\\(.)/g, '$1')}`);
    else out.push(m[3] ?? m[4]!);
  }
  if (q.slice(last).trim() !== '') throw new RecordQueryError(`cannot parse "${q.slice(last)}"`);
  return out;
}

function unquote(t: string): string {
  return t.startsWith('"') ? t.slice(1) : t;
}

export type RecordPredicate = (record: Record<string, unknown>) => boolean;

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'object') {
    const id = (value as { id?: unknown }).id;
    return id === undefined ? undefined : String(id);
  }
  return String(value);
}

/** `YYYY-MM-DD` of an ISO date(-time) or an account-format `M/D/YYYY` date. */
function dayOf(s: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(s);
  if (us) return `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`;
  return undefined;
}

/** -1, 0 or 1 comparing dates; by day when the filter value is a date without a time. */
function compareDates(value: string, filter: string): number | undefined {
  const dateOnly = !/[T:]/.test(filter);
  if (dateOnly) {
    const a = dayOf(value);
    const b = dayOf(filter);
    if (a === undefined || b === undefined) return undefined;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const a = Date.parse(value);
  const b = Date.parse(filter);
  if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
  return Math.sign(a - b);
}

function holds(c: Condition, record: Record<string, unknown>): boolean {
  const key = Object.keys(record).find((k) => k.toLowerCase() === c.field.toLowerCase());
  const raw = key === undefined ? undefined : scalar(record[key]);
  const v = raw ?? '';
  const a = c.values[0] ?? '';
  const b = c.values[1] ?? '';
  const num = (s: string) => Number(s);
  const date = (cmp: (n: number) => boolean) => {
    if (raw === undefined) return false;
    const n = compareDates(v, a);
    return n !== undefined && cmp(n);
  };
  switch (c.op) {
    case 'IS':
    case 'EQUAL':
      return (
        raw !== undefined &&
        (v.toLowerCase() === a.toLowerCase() ||
          (!Number.isNaN(num(v)) && num(v) === num(a) && a !== ''))
      );
    case 'EMPTY':
      return raw === undefined || raw === '';
    case 'START_WITH':
      return v.toLowerCase().startsWith(a.toLowerCase());
    case 'END_WITH':
      return v.toLowerCase().endsWith(a.toLowerCase());
    case 'CONTAIN':
      return v.toLowerCase().includes(a.toLowerCase());
    case 'GREATER':
      return raw !== undefined && num(v) > num(a);
    case 'GREATER_OR_EQUAL':
      return raw !== undefined && num(v) >= num(a);
    case 'LESS':
      return raw !== undefined && num(v) < num(a);
    case 'LESS_OR_EQUAL':
      return raw !== undefined && num(v) <= num(a);
    case 'BETWEEN':
    case 'WITHIN':
      return raw !== undefined && num(v) >= num(a) && num(v) <= num(b);
    case 'ANY_OF':
      return raw !== undefined && c.values.includes(v);
    case 'ON':
      return date((n) => n === 0);
    case 'BEFORE':
      return date((n) => n < 0);
    case 'AFTER':
      return date((n) => n > 0);
    case 'ON_OR_AFTER':
      return date((n) => n >= 0);
    case 'ON_OR_BEFORE':
      return date((n) => n <= 0);
    default:
      return false;
  }
}

function evaluate(expr: Expr, record: Record<string, unknown>): boolean {
  switch (expr.kind) {
    case 'cond':
      return holds(expr.cond, record) !== expr.cond.negate;
    case 'and':
      return expr.parts.every((p) => evaluate(p, record));
    case 'or':
      return expr.parts.some((p) => evaluate(p, record));
  }
}

export function parseRecordQuery(q: string): RecordPredicate {
  const t = tokens(q);
  let i = 0;
  const peekWord = () => t[i]?.toUpperCase();

  const condition = (): Expr => {
    const field = t[i++];
    const rawOp = t[i++];
    const parsed = rawOp === undefined ? undefined : operator(rawOp);
    if (!field || field.startsWith('"') || '[](),'.includes(field) || !parsed) {
      throw new RecordQueryError(`expected "field OPERATOR value" near "${field ?? ''}"`);
    }
    const values: string[] = [];
    if (parsed.op !== 'EMPTY') {
      if (t[i] === '[') {
        i++;
        while (i < t.length && t[i] !== ']') {
          if (t[i] !== ',') values.push(unquote(t[i]!));
          i++;
        }
        if (t[i] !== ']') throw new RecordQueryError('unclosed [ in value list');
        i++;
      } else {
        const v = t[i++];
        if (v === undefined || '[](),'.includes(v)) {
          throw new RecordQueryError(`missing value after ${rawOp}`);
        }
        values.push(unquote(v));
      }
      if ((parsed.op === 'BETWEEN' || parsed.op === 'WITHIN') && values.length !== 2) {
        throw new RecordQueryError(`${rawOp} takes two values: [low, high]`);
      }
    }
    return { kind: 'cond', cond: { field, op: parsed.op, negate: parsed.negate, values } };
  };

  const factor = (): Expr => {
    if (t[i] === '(') {
      i++;
      const inner = disjunction();
      if (t[i] !== ')') throw new RecordQueryError('unclosed ( in the filter');
      i++;
      return inner;
    }
    return condition();
  };

  const conjunction = (): Expr => {
    const parts = [factor()];
    while (peekWord() === 'AND') {
      i++;
      parts.push(factor());
    }
    return parts.length === 1 ? parts[0]! : { kind: 'and', parts };
  };

  function disjunction(): Expr {
    const parts = [conjunction()];
    while (peekWord() === 'OR') {
      i++;
      parts.push(conjunction());
    }
    return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
  }

  const expr = disjunction();
  if (i < t.length) throw new RecordQueryError(`expected AND or OR, got "${t[i]}"`);
  return (record) => evaluate(expr, record);
}
