import type { EmulatorField, ObjectModel } from './objects.js';
import { recordAttributes } from './record-projection.js';
import {
  parseSoql,
  type SoqlExpr,
  type SoqlLiteral,
  type SoqlQuery,
  SoqlSyntaxError,
} from './soql-parser.js';
import { parseSfDateTime, type SObjectStore, type StoredRecord } from './store.js';

/** A query error in Salesforce's terms (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE). */
export class SoqlEngineError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    /** Where in the query the problem is: an offset, or the text it was found at. */
    readonly at?: number | string,
  ) {
    super(message);
  }
}

const WSDL_HINT = 'Please reference your WSDL or the describe call for the appropriate names.';

/**
 * The message Salesforce gives a bad query: the query line, a caret under the problem, its row
 * and column, then the reason —
 * `\nSELECT Nmae FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Nmae' …`.
 */
export function soqlErrorMessage(text: string, error: SoqlEngineError): string {
  let pos: number | undefined;
  if (typeof error.at === 'number') pos = error.at;
  else if (typeof error.at === 'string' && error.at !== '') {
    const escaped = error.at.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(`(?<![\\w.])${escaped}(?![\\w])`, 'i').exec(text);
    if (match) pos = match.index;
  }
  if (pos === undefined) return error.message;
  const before = text.slice(0, pos);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', pos);
  const line = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const column = pos - lineStart + 1;
  return `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${error.message}`;
}

interface ResolvedPath {
  /** Canonical name as returned: 'Name' or 'Account.Name'. */
  display: string;
  /** Relationship hops (reference fields) then the final field. */
  hops: EmulatorField[];
  field: EmulatorField;
}

/** A parent-to-child subquery, run for each parent record. */
interface ChildPlan {
  relationshipName: string;
  model: ObjectModel;
  /** The child's reference field that points at the parent. */
  field: EmulatorField;
  fields: ResolvedPath[];
  filter: (r: StoredRecord) => boolean;
  query: SoqlQuery;
  /** Matching children by parent id, built on first use (one scan per query, not per parent). */
  byParent?: Map<unknown, StoredRecord[]>;
}

export interface PlannedQuery {
  query: SoqlQuery;
  model: ObjectModel;
  /** An aggregate query: `rows` are the AggregateResult records themselves. */
  aggregate?: boolean;
  fields: ResolvedPath[];
  children: ChildPlan[];
  /** Matching records in result order. */
  rows: StoredRecord[];
  totalSize: number;
}

const DAY = 86_400_000;

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

/** [start, end) of a date literal relative to now (UTC). */
function dateLiteralRange(name: string, n: number | undefined, now: number): [number, number] {
  const today = startOfUtcDay(now);
  const d = new Date(today);
  const dow = d.getUTCDay();
  const monthStart = (offset: number) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
  const yearStart = (offset: number) => Date.UTC(d.getUTCFullYear() + offset, 0, 1);
  switch (name) {
    case 'TODAY':
      return [today, today + DAY];
    case 'YESTERDAY':
      return [today - DAY, today];
    case 'TOMORROW':
      return [today + DAY, today + 2 * DAY];
    case 'THIS_WEEK':
      return [today - dow * DAY, today - dow * DAY + 7 * DAY];
    case 'LAST_WEEK':
      return [today - dow * DAY - 7 * DAY, today - dow * DAY];
    case 'NEXT_WEEK':
      return [today - dow * DAY + 7 * DAY, today - dow * DAY + 14 * DAY];
    case 'THIS_MONTH':
      return [monthStart(0), monthStart(1)];
    case 'LAST_MONTH':
      return [monthStart(-1), monthStart(0)];
    case 'NEXT_MONTH':
      return [monthStart(1), monthStart(2)];
    case 'THIS_YEAR':
      return [yearStart(0), yearStart(1)];
    case 'LAST_YEAR':
      return [yearStart(-1), yearStart(0)];
    case 'NEXT_YEAR':
      return [yearStart(1), yearStart(2)];
    case 'LAST_N_DAYS':
      return [today - (n ?? 0) * DAY, today + DAY];
    case 'NEXT_N_DAYS':
      return [today + DAY, today + ((n ?? 0) + 1) * DAY];
    default:
      throw new SoqlEngineError('MALFORMED_QUERY', `unknown date literal ${name}`);
  }
}

/**
 * A LIKE pattern from the parser: a backslash keeps the next character literal (it came from
 * an escaped backslash, percent sign or underscore in the query), a bare `%` matches any run and a bare `_` one character.
 */
function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && i + 1 < pattern.length) {
      source += (pattern[i + 1] as string).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i++;
    } else if (ch === '%') source += '[\\s\\S]*';
    else if (ch === '_') source += '[\\s\\S]';
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

type Comparable =
  | { kind: 'num'; v: number }
  | { kind: 'str'; v: string }
  | { kind: 'bool'; v: boolean }
  | { kind: 'range'; v: [number, number] };

export class SoqlEngine {
  constructor(private readonly store: SObjectStore) {}

  resolve(model: ObjectModel, path: string): ResolvedPath {
    const parts = path.split('.');
    // Allow the object name as a prefix: SELECT Account.Name FROM Account
    if (
      parts.length > 1 &&
      parts[0]?.toLowerCase() === model.name.toLowerCase() &&
      !model.relationships.has(parts[0].toLowerCase())
    ) {
      parts.shift();
    }
    const hops: EmulatorField[] = [];
    const display: string[] = [];
    let current = model;
    for (let i = 0; i < parts.length - 1; i++) {
      const rel = current.relationships.get((parts[i] as string).toLowerCase());
      const target = rel?.referenceTo?.[0] ? this.store.model(rel.referenceTo[0]) : undefined;
      if (!rel || !target) {
        throw new SoqlEngineError(
          'INVALID_FIELD',
          `Didn't understand relationship '${parts[i]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. ${WSDL_HINT}`,
          path,
        );
      }
      hops.push(rel);
      display.push(rel.relationshipName as string);
      current = target;
    }
    const last = parts[parts.length - 1] as string;
    const field = current.fields.get(last.toLowerCase());
    if (!field) {
      throw new SoqlEngineError(
        'INVALID_FIELD',
        `No such column '${last}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. ${WSDL_HINT}`,
        path,
      );
    }
    display.push(field.name);
    return { display: display.join('.'), hops, field };
  }

  valueOf(record: StoredRecord, path: ResolvedPath): unknown {
    let current: StoredRecord | undefined = record;
    for (const hop of path.hops) {
      const id: unknown = current?.[hop.name];
      current = typeof id === 'string' ? this.store.findById(id)?.record : undefined;
      if (!current) return null;
    }
    return current[path.field.name] ?? null;
  }

  private comparable(field: EmulatorField, value: unknown): Comparable | undefined {
    if (value === null || value === undefined) return undefined;
    // Ids compare by their case-sensitive 15-character form, as base-62 numbers (0-9 < A-Z < a-z,
    // which is also their character order): PK chunking splits a table into `Id >= a AND Id < b`
    // ranges this way (https://developer.salesforce.com/blogs/developer-relations/2015/11/pk-chunking-techniques-massive-orgs.html).
    if (field.type === 'id') return { kind: 'str', v: String(value).slice(0, 15) };
    if (field.type === 'date' || field.type === 'datetime') {
      const ms = parseSfDateTime(value);
      return ms === undefined ? undefined : { kind: 'num', v: ms };
    }
    if (typeof value === 'number') return { kind: 'num', v: value };
    if (typeof value === 'boolean') return { kind: 'bool', v: value };
    return { kind: 'str', v: String(value).toLowerCase() };
  }

  private literal(field: EmulatorField, lit: SoqlLiteral, now: number): Comparable | null {
    switch (lit.kind) {
      case 'null':
        return null;
      case 'number':
        return { kind: 'num', v: lit.value };
      case 'boolean':
        return { kind: 'bool', v: lit.value };
      case 'string':
        if (field.type === 'date' || field.type === 'datetime') {
          throw new SoqlEngineError(
            'INVALID_FIELD',
            `value of filter criterion for field '${field.name}' must be of type ${field.type} and should not be enclosed in quotes`,
          );
        }
        if (field.type === 'id') return { kind: 'str', v: lit.value.slice(0, 15) };
        return { kind: 'str', v: lit.value.toLowerCase() };
      case 'date': {
        const start = Date.parse(`${lit.value}T00:00:00Z`);
        return field.type === 'datetime'
          ? { kind: 'range', v: [start, start + DAY] }
          : { kind: 'num', v: start };
      }
      case 'datetime':
        if (field.type === 'date') {
          throw new SoqlEngineError(
            'INVALID_FIELD',
            `value of filter criterion for field '${field.name}' must be of type date and should not be a datetime`,
          );
        }
        return { kind: 'num', v: lit.value };
      case 'dateLiteral': {
        if (field.type !== 'date' && field.type !== 'datetime') {
          throw new SoqlEngineError(
            'INVALID_FIELD',
            `field '${field.name}' of type ${field.type} cannot be compared with a date literal`,
          );
        }
        return { kind: 'range', v: dateLiteralRange(lit.name, lit.n, now) };
      }
    }
  }

  private compare(value: Comparable | undefined, op: string, lit: Comparable | null): boolean {
    if (lit === null) {
      if (op === '=') return value === undefined;
      if (op === '!=') return value !== undefined;
      return false;
    }
    if (value === undefined) return op === '!=';
    if (lit.kind === 'range') {
      if (value.kind !== 'num') return false;
      const [s, e] = lit.v;
      const v = value.v;
      switch (op) {
        case '=':
          return v >= s && v < e;
        case '!=':
          return v < s || v >= e;
        case '<':
          return v < s;
        case '<=':
          return v < e;
        case '>':
          return v >= e;
        default:
          return v >= s;
      }
    }
    const a = value.v;
    const b = lit.v;
    if (typeof a !== typeof b) return op === '!=';
    switch (op) {
      case '=':
        return a === b;
      case '!=':
        return a !== b;
      case '<':
        return a < b;
      case '<=':
        return a <= b;
      case '>':
        return a > b;
      default:
        return a >= b;
    }
  }

  private compile(model: ObjectModel, expr: SoqlExpr, now: number): (r: StoredRecord) => boolean {
    switch (expr.type) {
      case 'and': {
        const l = this.compile(model, expr.left, now);
        const r = this.compile(model, expr.right, now);
        return (rec) => l(rec) && r(rec);
      }
      case 'or': {
        const l = this.compile(model, expr.left, now);
        const r = this.compile(model, expr.right, now);
        return (rec) => l(rec) || r(rec);
      }
      case 'not': {
        const inner = this.compile(model, expr.expr, now);
        return (rec) => !inner(rec);
      }
      case 'cmp': {
        const path = this.resolve(model, expr.path);
        const lit = this.literal(path.field, expr.value, now);
        return (rec) =>
          this.compare(this.comparable(path.field, this.valueOf(rec, path)), expr.op, lit);
      }
      case 'in': {
        const path = this.resolve(model, expr.path);
        const lits = expr.values.map((v) => this.literal(path.field, v, now));
        return (rec) => {
          const value = this.comparable(path.field, this.valueOf(rec, path));
          const hit = lits.some((lit) => this.compare(value, '=', lit));
          return expr.negate ? !hit : hit;
        };
      }
      case 'like': {
        const path = this.resolve(model, expr.path);
        const re = likeToRegExp(expr.pattern);
        return (rec) => {
          const value = this.valueOf(rec, path);
          const hit = value !== null && value !== undefined && re.test(String(value));
          return expr.negate ? !hit : hit;
        };
      }
    }
  }

  /** Parses and runs a query; rows are the matching records in result order. */
  run(text: string, options: { includeDeleted?: boolean; now: number }): PlannedQuery {
    let query: SoqlQuery;
    try {
      query = parseSoql(text);
    } catch (error) {
      if (error instanceof SoqlSyntaxError)
        throw new SoqlEngineError('MALFORMED_QUERY', error.message, error.pos);
      throw error;
    }
    const model = this.store.model(query.from);
    if (!model) {
      throw new SoqlEngineError(
        'INVALID_TYPE',
        `sObject type '${query.from}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. ${WSDL_HINT}`,
        query.from,
      );
    }
    if (query.aggregates.length > 0 || query.groupBy.length > 0) {
      const filter = query.where ? this.compile(model, query.where, options.now) : () => true;
      return this.aggregate(
        query,
        model,
        this.store.scan(model.name, options.includeDeleted).filter(filter),
      );
    }
    const fields = this.resolveFields(model, query.fields);
    const children = query.subqueries.map((sub) => this.planChild(model, sub, options.now));
    const filter = query.where ? this.compile(model, query.where, options.now) : () => true;
    const rows = this.sorted(
      model,
      this.store.scan(model.name, options.includeDeleted).filter(filter),
      query,
    );
    return this.page(query, model, fields, children, rows);
  }

  /**
   * GROUP BY and aggregate functions: one AggregateResult record per group (one in all without
   * GROUP BY), grouped fields under their own names, aggregates under their alias or expr0,
   * expr1… in select order.
   */
  private aggregate(query: SoqlQuery, model: ObjectModel, rows: StoredRecord[]): PlannedQuery {
    if (query.subqueries.length > 0)
      throw new SoqlEngineError('MALFORMED_QUERY', 'Nested queries cannot be aggregated');
    const groups = query.groupBy.map((p) => this.resolve(model, p));
    const grouped = new Set(groups.map((g) => g.display.toLowerCase()));
    const plain = query.fields.map((f) => {
      const path = this.resolve(model, f);
      if (!grouped.has(path.display.toLowerCase()))
        throw new SoqlEngineError(
          'MALFORMED_QUERY',
          `Field must be grouped or aggregated: ${path.field.name}`,
          f,
        );
      return path;
    });
    let unnamed = 0;
    const aggregates = query.aggregates.map((a) => {
      const path = this.resolve(model, a.path);
      const numeric = ['int', 'double', 'currency', 'percent', 'long'].includes(path.field.type);
      if ((a.fn === 'SUM' || a.fn === 'AVG') && !numeric)
        throw new SoqlEngineError(
          'MALFORMED_QUERY',
          `field ${path.field.name} does not support aggregate operator ${a.fn}`,
          a.path,
        );
      return { ...a, path, key: a.alias ?? `expr${unnamed++}` };
    });
    const buckets = new Map<string, StoredRecord[]>();
    for (const r of rows) {
      const key = JSON.stringify(
        groups.map((g) => {
          const v = this.valueOf(r, g);
          return typeof v === 'string' ? v.toLowerCase() : v;
        }),
      );
      const bucket = buckets.get(key);
      if (bucket) bucket.push(r);
      else buckets.set(key, [r]);
    }
    if (groups.length === 0 && buckets.size === 0) buckets.set('[]', []);
    let results = [...buckets.values()].map((members) => {
      const out: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
      const first = members[0];
      for (const p of plain) out[p.field.name] = first ? this.valueOf(first, p) : null;
      for (const a of aggregates) {
        const values = members.map((m) => this.valueOf(m, a.path)).filter((v) => v != null);
        out[a.key] = this.reduce(a.fn, a.path.field, values, members.length);
      }
      return { out, members };
    });
    if (query.orderBy.length > 0) {
      const keys = query.orderBy.map((o) => {
        const alias = aggregates.find((a) => a.key.toLowerCase() === o.path.toLowerCase());
        if (alias) return { ...o, read: (g: (typeof results)[number]) => g.out[alias.key] };
        const path = this.resolve(model, o.path);
        if (!grouped.has(path.display.toLowerCase()))
          throw new SoqlEngineError(
            'MALFORMED_QUERY',
            `Ordered field must be grouped or aggregated: ${path.field.name}`,
            o.path,
          );
        return {
          ...o,
          read: (g: (typeof results)[number]) =>
            g.members[0] ? this.valueOf(g.members[0], path) : null,
        };
      });
      results = [...results].sort((x, y) => {
        for (const key of keys) {
          const a = key.read(x);
          const b = key.read(y);
          if (a == null || b == null) {
            if ((a == null) === (b == null)) continue;
            return (a == null) === key.nullsLast ? 1 : -1;
          }
          const av = typeof a === 'string' ? a.toLowerCase() : (a as number);
          const bv = typeof b === 'string' ? b.toLowerCase() : (b as number);
          if (av === bv) continue;
          const c = av < bv ? -1 : 1;
          return key.desc ? -c : c;
        }
        return 0;
      });
    }
    const offset = query.offset ?? 0;
    const page = results.slice(
      offset,
      query.limit === undefined ? undefined : offset + query.limit,
    );
    return {
      query,
      model,
      aggregate: true,
      fields: [],
      children: [],
      rows: page.map((g) => g.out as StoredRecord),
      totalSize: page.length,
    };
  }

  private reduce(
    fn: string,
    field: EmulatorField,
    values: unknown[],
    count: number,
  ): number | unknown {
    switch (fn) {
      case 'COUNT':
        return field.name === 'Id' ? count : values.length;
      case 'COUNT_DISTINCT':
        return new Set(values.map((v) => (typeof v === 'string' ? v.toLowerCase() : v))).size;
      case 'SUM':
        return values.length === 0 ? null : values.reduce((t: number, v) => t + Number(v), 0);
      case 'AVG':
        return values.length === 0
          ? null
          : values.reduce((t: number, v) => t + Number(v), 0) / values.length;
      default: {
        // MIN / MAX keep the field's own value (number, date text, string)
        let best: unknown = null;
        let bestKey: Comparable | undefined;
        for (const v of values) {
          const key = this.comparable(field, v);
          if (!key) continue;
          const better =
            bestKey === undefined ||
            (fn === 'MIN'
              ? (key.v as number) < (bestKey.v as number)
              : (key.v as number) > (bestKey.v as number));
          if (better) {
            best = v;
            bestKey = key;
          }
        }
        return best;
      }
    }
  }

  private resolveFields(model: ObjectModel, names: string[]): ResolvedPath[] {
    const fields = names.map((f) => this.resolve(model, f));
    const seen = new Set<string>();
    for (const f of fields) {
      const key = f.display.toLowerCase();
      if (seen.has(key))
        throw new SoqlEngineError('MALFORMED_QUERY', `duplicate field selected: ${f.display}`);
      seen.add(key);
    }
    return fields;
  }

  private planChild(parent: ObjectModel, sub: SoqlQuery, now: number): ChildPlan {
    const relation = parent.children.get(sub.from.toLowerCase());
    const model = relation ? this.store.model(relation.childSObject) : undefined;
    if (!relation || !model) {
      throw new SoqlEngineError(
        'INVALID_TYPE',
        `Didn't understand relationship '${sub.from}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. ${WSDL_HINT}`,
        sub.from,
      );
    }
    if (sub.count)
      throw new SoqlEngineError('MALFORMED_QUERY', 'COUNT() is not supported in a subquery');
    return {
      relationshipName: relation.relationshipName,
      model,
      field: relation.field,
      fields: this.resolveFields(model, sub.fields),
      filter: sub.where ? this.compile(model, sub.where, now) : () => true,
      query: sub,
    };
  }

  private sorted(model: ObjectModel, input: StoredRecord[], query: SoqlQuery): StoredRecord[] {
    let rows = input;
    if (query.orderBy.length > 0) {
      const keys = query.orderBy.map((o) => ({ ...o, path: this.resolve(model, o.path) }));
      // Records are kept in creation order, which is Id order: an ORDER BY Id needs no sort.
      const only = keys.length === 1 ? keys[0] : undefined;
      if (only && only.path.hops.length === 0 && only.path.field.type === 'id' && idOrdered(rows)) {
        return only.desc ? [...rows].reverse() : rows;
      }
      const decorated = rows.map((r) => ({
        r,
        k: keys.map((k) => this.comparable(k.path.field, this.valueOf(r, k.path))),
      }));
      decorated.sort((x, y) => {
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i] as (typeof keys)[number];
          const a = x.k[i];
          const b = y.k[i];
          if (a === undefined || b === undefined) {
            if (a === b) continue;
            return (a === undefined) === key.nullsLast ? 1 : -1;
          }
          const av = a.v as number | string;
          const bv = b.v as number | string;
          if (av === bv) continue;
          const c = av < bv ? -1 : 1;
          return key.desc ? -c : c;
        }
        return 0;
      });
      rows = decorated.map((d) => d.r);
    }
    return rows;
  }

  private page(
    query: SoqlQuery,
    model: ObjectModel,
    fields: ResolvedPath[],
    children: ChildPlan[],
    input: StoredRecord[],
  ): PlannedQuery {
    let rows = input;
    const offset = query.offset ?? 0;
    if (offset > 2000)
      throw new SoqlEngineError(
        'NUMBER_OUTSIDE_VALID_RANGE',
        `Maximum SOQL offset allowed is 2000`,
      );
    const totalBeforeLimit = rows.length;
    rows = rows.slice(offset, query.limit === undefined ? undefined : offset + query.limit);
    return {
      query,
      model,
      fields,
      children,
      rows,
      totalSize: query.count ? Math.min(totalBeforeLimit, query.limit ?? Infinity) : rows.length,
    };
  }

  /** The record as the REST API returns it: attributes, then the selected fields (parents nested). */
  project(plan: PlannedQuery, record: StoredRecord, version: string): Record<string, unknown> {
    if (plan.aggregate) return { ...record };
    const out = this.projectFields(plan.model, plan.fields, record, version);
    for (const child of plan.children) {
      if (!child.byParent) {
        const index = new Map<unknown, StoredRecord[]>();
        for (const r of this.store.scan(child.model.name)) {
          const parentId = r[child.field.name];
          if (parentId == null || !child.filter(r)) continue;
          const list = index.get(parentId);
          if (list) list.push(r);
          else index.set(parentId, [r]);
        }
        child.byParent = index;
      }
      const matching = child.byParent.get(record.Id) ?? [];
      const sorted = this.sorted(child.model, matching, child.query);
      const offset = child.query.offset ?? 0;
      const rows = sorted.slice(
        offset,
        child.query.limit === undefined ? undefined : offset + child.query.limit,
      );
      // Salesforce answers null, not an empty result, for a parent without children.
      out[child.relationshipName] =
        rows.length === 0
          ? null
          : {
              totalSize: rows.length,
              done: true,
              records: rows.map((r) => this.projectFields(child.model, child.fields, r, version)),
            };
    }
    return out;
  }

  private projectFields(
    model: ObjectModel,
    fields: ResolvedPath[],
    record: StoredRecord,
    version: string,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {
      attributes: recordAttributes(model, record, version),
    };
    for (const path of fields) {
      if (path.hops.length === 0) {
        out[path.field.name] = record[path.field.name] ?? null;
        continue;
      }
      let target: Record<string, unknown> = out;
      let current: StoredRecord | undefined = record;
      let ok = true;
      for (const hop of path.hops) {
        const rel = hop.relationshipName as string;
        const id: unknown = current?.[hop.name];
        current = typeof id === 'string' ? this.store.findById(id)?.record : undefined;
        if (!current) {
          if (!(rel in target)) target[rel] = null;
          ok = false;
          break;
        }
        const existing = target[rel];
        if (existing && typeof existing === 'object') target = existing as Record<string, unknown>;
        else {
          const found = this.store.findById(current.Id);
          const nested: Record<string, unknown> = {
            attributes: {
              type: found?.object ?? '',
              url: `/services/data/v${version}/sobjects/${found?.object ?? ''}/${current.Id}`,
            },
          };
          target[rel] = nested;
          target = nested;
        }
      }
      if (ok && current) target[path.field.name] = current[path.field.name] ?? null;
    }
    return out;
  }

  /** Flat row for Bulk query CSV: column names as selected (Account.Name), values as text. */
  flat(plan: PlannedQuery, record: StoredRecord): string[] {
    return plan.fields.map((path) => {
      const v = this.valueOf(record, path);
      return v === null || v === undefined ? '' : String(v);
    });
  }
}

/** True when the records are in ascending order of their 15-character Ids. */
function idOrdered(rows: readonly StoredRecord[]): boolean {
  for (let i = 1; i < rows.length; i++) {
    if (String(rows[i - 1]!.Id).slice(0, 15) > String(rows[i]!.Id).slice(0, 15)) return false;
  }
  return true;
}
