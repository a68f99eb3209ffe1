/**
 * The record service's `q` filter for list requests: `field OPERATOR value` conditions joined by
 * AND / OR (AND binds tighter), for example `email START_WITH "a" AND isInactive IS false`.
 */

export class RecordQueryError extends Error {}

type Condition = { field: string; op: string; values: string[] };

const OPERATORS = new Set([
  'IS',
  'IS_NOT',
  'EMPTY',
  'EMPTY_NOT',
  'START_WITH',
  'START_WITH_NOT',
  'CONTAIN',
  'CONTAIN_NOT',
  'END_WITH',
  'EQUAL',
  'EQUAL_NOT',
  'GREATER',
  'GREATER_OR_EQUAL',
  'LESS',
  'LESS_OR_EQUAL',
  'ANY_OF',
  'ANY_OF_NOT',
  'ON',
  'BEFORE',
  'AFTER',
]);

function tokens(q: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|(\[)|(\])|(,)|([^\s,[\]"]+))/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while (true) {
    m = re.exec(q);
    if (!m) break;
    last = re.lastIndex;
    if (m[1] !== undefined) out.push(`"${m[1].replace(/\\(.)/g, '$1')}`);
    else out.push(m[2] ?? m[3] ?? m[4] ?? m[5]!);
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

function test(c: Condition, record: Record<string, unknown>): boolean {
  const key = Object.keys(record).find((k) => k.toLowerCase() === c.field.toLowerCase());
  const raw = key === undefined ? undefined : scalar(record[key]);
  const v = raw ?? '';
  const a = c.values[0] ?? '';
  const num = (s: string) => Number(s);
  const time = (s: string) => Date.parse(s);
  switch (c.op) {
    case 'IS':
    case 'EQUAL':
      return (
        raw !== undefined && (v === a || (!Number.isNaN(num(v)) && num(v) === num(a) && a !== ''))
      );
    case 'IS_NOT':
    case 'EQUAL_NOT':
      return !(v === a);
    case 'EMPTY':
      return raw === undefined || raw === '';
    case 'EMPTY_NOT':
      return raw !== undefined && raw !== '';
    case 'START_WITH':
      return v.toLowerCase().startsWith(a.toLowerCase());
    case 'START_WITH_NOT':
      return !v.toLowerCase().startsWith(a.toLowerCase());
    case 'END_WITH':
      return v.toLowerCase().endsWith(a.toLowerCase());
    case 'CONTAIN':
      return v.toLowerCase().includes(a.toLowerCase());
    case 'CONTAIN_NOT':
      return !v.toLowerCase().includes(a.toLowerCase());
    case 'GREATER':
      return raw !== undefined && num(v) > num(a);
    case 'GREATER_OR_EQUAL':
      return raw !== undefined && num(v) >= num(a);
    case 'LESS':
      return raw !== undefined && num(v) < num(a);
    case 'LESS_OR_EQUAL':
      return raw !== undefined && num(v) <= num(a);
    case 'ANY_OF':
      return raw !== undefined && c.values.includes(v);
    case 'ANY_OF_NOT':
      return raw === undefined || !c.values.includes(v);
    case 'ON':
      return raw !== undefined && time(v) === time(a);
    case 'BEFORE':
      return raw !== undefined && time(v) < time(a);
    case 'AFTER':
      return raw !== undefined && time(v) > time(a);
    default:
      return false;
  }
}

export function parseRecordQuery(q: string): RecordPredicate {
  const t = tokens(q);
  let i = 0;
  const groups: Condition[][] = [[]];
  while (i < t.length) {
    const field = t[i++];
    const op = t[i++]?.toUpperCase();
    if (!field || field.startsWith('"') || !op || !OPERATORS.has(op)) {
      throw new RecordQueryError(`expected "field OPERATOR value" near "${field ?? ''}"`);
    }
    const values: string[] = [];
    if (op !== 'EMPTY' && op !== 'EMPTY_NOT') {
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
        if (v === undefined) throw new RecordQueryError(`missing value after ${op}`);
        values.push(unquote(v));
      }
    }
    groups[groups.length - 1]!.push({ field, op, values });
    const joiner = t[i]?.toUpperCase();
    if (joiner === undefined) break;
    i++;
    if (joiner === 'OR') groups.push([]);
    else if (joiner !== 'AND') throw new RecordQueryError(`expected AND or OR, got "${t[i - 1]}"`);
  }
  return (record) => groups.some((g) => g.length > 0 && g.every((c) => test(c, record)));
}
