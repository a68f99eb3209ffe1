import { idChecksum } from '../ids.js';
import {
  buildModels,
  type EmulatorField,
  type EmulatorObject,
  isRequired,
  type ObjectModel,
} from './objects.js';
import {
  deriveOrderFields,
  orderDeleteErrors,
  orderRuleErrors,
  orderTotal,
} from './order-rules.js';

export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

export type WriteOutcome =
  | { ok: true; id: string; created: boolean }
  | { ok: false; errors: RecordError[]; id?: string };

export type StoredRecord = Record<string, unknown> & { Id: string };

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const NUMERIC = new Set(['int', 'double', 'currency', 'percent', 'long']);
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Salesforce's JSON datetime format: 2024-05-01T10:00:00.000+0000. */
export function formatSfDateTime(ms: number): string {
  // Salesforce keeps datetimes to the second.
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('Z', '+0000');
}

/** Parses Salesforce datetimes (+0000 form), ISO strings and YYYY-MM-DD dates to epoch ms. */
export function parseSfDateTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const normalized = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(
    /^\d{4}-\d{2}-\d{2}$/.test(normalized) ? `${normalized}T00:00:00Z` : normalized,
  );
  return Number.isNaN(ms) ? undefined : ms;
}

type Undo = () => void;

/** Stateful sObject records with Salesforce's validation, unique indexes, ids and deletes. */
/** What `SObjectStore.dump()` returns: plain JSON. */
export interface StoreDump {
  /** How many ids the store has made (new ids continue after it). */
  counter: number;
  records: Record<string, StoredRecord[]>;
  deleted: Record<string, { record: StoredRecord; deletedAt: number }[]>;
}

export class SObjectStore {
  readonly models: Map<string, ObjectModel>;
  private readonly records = new Map<string, Map<string, StoredRecord>>();
  private readonly deleted = new Map<
    string,
    Map<string, { record: StoredRecord; deletedAt: number }>
  >();
  private readonly unique = new Map<string, Map<string, Set<string>>>();
  private readonly prefixToObject = new Map<string, string>();
  private counter = 0;
  private undoLog: Undo[] | undefined;

  constructor(
    objects: EmulatorObject[] | undefined,
    readonly now: () => number,
  ) {
    this.models = buildModels(objects);
    for (const model of this.models.values()) {
      this.records.set(model.name, new Map());
      this.deleted.set(model.name, new Map());
      this.prefixToObject.set(model.keyPrefix, model.name);
    }
    const id15 = '005Dn0USER00001';
    this.defaultUserId = id15 + idChecksum(id15);
    const user = this.create(
      'User',
      {
        Username: 'integration@emulator.invalid',
        FirstName: 'Integration',
        LastName: 'User',
        Email: 'integration@emulator.invalid',
        IsActive: true,
      },
      undefined,
      this.defaultUserId,
    );
    if (!user.ok) throw new Error(`emulator user: ${JSON.stringify(user.errors)}`);
  }

  /** The integration user: creator and default owner of every record. */
  readonly defaultUserId: string;

  model(name: string): ObjectModel | undefined {
    return this.models.get(name.toLowerCase());
  }

  /** All live records of an object, in insertion order. */
  all(object: string): StoredRecord[] {
    const model = this.model(object);
    return model ? [...(this.records.get(model.name)?.values() ?? [])] : [];
  }

  /** Live (or, with includeDeleted, also deleted) records of an object. */
  scan(object: string, includeDeleted = false): StoredRecord[] {
    const live = this.all(object);
    if (!includeDeleted) return live;
    const model = this.model(object);
    const gone = model
      ? [...(this.deleted.get(model.name)?.values() ?? [])].map((d) => d.record)
      : [];
    return [...live, ...gone];
  }

  deletedEntries(object: string): { record: StoredRecord; deletedAt: number }[] {
    const model = this.model(object);
    return model ? [...(this.deleted.get(model.name)?.values() ?? [])] : [];
  }

  get(object: string, id: string): StoredRecord | undefined {
    const model = this.model(object);
    return model
      ? this.records.get(model.name)?.get(id.length === 15 ? id + idChecksum(id) : id)
      : undefined;
  }

  /** Finds a record of any object by id (through its key prefix). */
  findById(id: string): { object: string; record: StoredRecord } | undefined {
    const object = this.prefixToObject.get(id.slice(0, 3));
    if (!object) return undefined;
    const record = this.get(object, id);
    return record ? { object, record } : undefined;
  }

  isDeleted(object: string, id: string): boolean {
    const model = this.model(object);
    return Boolean(model && this.deleted.get(model.name)?.has(id));
  }

  newId(model: ObjectModel): string {
    this.counter++;
    let n = this.counter;
    let body = '';
    while (n > 0) {
      body = BASE62[n % 62] + body;
      n = Math.floor(n / 62);
    }
    const id15 = `${model.keyPrefix}Dn0${body.padStart(9, '0')}`;
    return id15 + idChecksum(id15);
  }

  /** Runs fn; when it returns false every change it made is undone (allOrNone). */
  transaction<T>(fn: () => { commit: boolean; value: T }): T {
    const outer = this.undoLog;
    const log: Undo[] = [];
    this.undoLog = log;
    try {
      const { commit, value } = fn();
      if (!commit) for (let i = log.length - 1; i >= 0; i--) log[i]?.();
      else if (outer) outer.push(...log);
      return value;
    } finally {
      this.undoLog = outer;
    }
  }

  /**
   * Starts a transaction that spans async work (composite requests): changes made until
   * commit() or rollback() are logged; rollback() undoes them.
   */
  begin(): { commit(): void; rollback(): void } {
    const outer = this.undoLog;
    const log: Undo[] = [];
    this.undoLog = log;
    const end = () => {
      this.undoLog = outer;
    };
    return {
      commit: () => {
        end();
        if (outer) outer.push(...log);
      },
      rollback: () => {
        end();
        for (let i = log.length - 1; i >= 0; i--) log[i]?.();
      },
    };
  }

  private uniqueKey(model: ObjectModel, field: EmulatorField): string {
    return `${model.name}.${field.name}`;
  }

  private norm(field: EmulatorField, value: unknown): string {
    const s = String(value);
    return field.caseSensitive ? s : s.toLowerCase();
  }

  private indexed(field: EmulatorField): boolean {
    return field.externalId === true || field.unique === true;
  }

  private index(model: ObjectModel, record: StoredRecord, add: boolean): void {
    for (const field of model.fields.values()) {
      if (!this.indexed(field)) continue;
      const value = record[field.name];
      if (value === null || value === undefined || value === '') continue;
      const key = this.uniqueKey(model, field);
      let map = this.unique.get(key);
      if (!map) {
        map = new Map();
        this.unique.set(key, map);
      }
      const norm = this.norm(field, value);
      let ids = map.get(norm);
      if (add) {
        if (!ids) {
          ids = new Set();
          map.set(norm, ids);
        }
        ids.add(record.Id);
      } else if (ids) {
        ids.delete(record.Id);
        if (ids.size === 0) map.delete(norm);
      }
    }
  }

  /** Ids of live records whose field equals value (indexed fields, Id, or a scan). */
  match(object: string, fieldName: string, value: unknown): string[] {
    const model = this.model(object);
    if (!model) return [];
    const field = model.fields.get(fieldName.toLowerCase());
    if (!field) return [];
    if (field.name === 'Id') {
      const found = this.get(model.name, String(value));
      return found ? [found.Id] : [];
    }
    if (this.indexed(field)) {
      return [
        ...(this.unique.get(this.uniqueKey(model, field))?.get(this.norm(field, value)) ?? []),
      ];
    }
    const norm = this.norm(field, value);
    return this.all(model.name)
      .filter(
        (r) =>
          r[field.name] !== null &&
          r[field.name] !== undefined &&
          this.norm(field, r[field.name]) === norm,
      )
      .map((r) => r.Id);
  }

  /** Validates and coerces field values; returns errors in Salesforce's per-record shape. */
  private prepare(
    model: ObjectModel,
    input: Record<string, unknown>,
    mode: 'create' | 'update',
    skip: Set<string> = new Set(),
  ): { values: Record<string, unknown>; errors: RecordError[] } {
    const values: Record<string, unknown> = {};
    const errors: RecordError[] = [];
    for (const [key, raw] of Object.entries(input)) {
      if (key === 'attributes' || skip.has(key.toLowerCase())) continue;
      const field = model.fields.get(key.toLowerCase());
      if (!field) {
        errors.push({
          statusCode: 'INVALID_FIELD',
          message: `No such column '${key}' on sobject of type ${model.name}`,
          fields: [key],
        });
        continue;
      }
      if (field.name === 'Id') continue;
      if (
        (mode === 'create' && field.createable === false) ||
        (mode === 'update' && field.updateable === false)
      ) {
        errors.push({
          statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
          message: `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          fields: [field.name],
        });
        continue;
      }
      const coerced = this.coerce(model, field, raw);
      if ('error' in coerced) errors.push(coerced.error);
      else values[field.name] = coerced.value;
    }
    return { values, errors };
  }

  private coerce(
    _model: ObjectModel,
    field: EmulatorField,
    raw: unknown,
  ): { value: unknown } | { error: RecordError } {
    if (raw === null || raw === undefined) return { value: null };
    const bad = (statusCode: string, message: string) => ({
      error: { statusCode, message, fields: [field.name] },
    });
    if (NUMERIC.has(field.type)) {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && raw.trim() !== ''
            ? Number(raw)
            : Number.NaN;
      if (!Number.isFinite(n) || (field.type === 'int' && !Number.isInteger(n))) {
        return bad(
          'INVALID_TYPE_ON_FIELD_IN_RECORD',
          `${field.name}: value not of required type: ${String(raw)}`,
        );
      }
      return { value: n };
    }
    if (field.type === 'boolean') {
      if (typeof raw === 'boolean') return { value: raw };
      if (raw === 'true' || raw === 'false') return { value: raw === 'true' };
      return bad(
        'INVALID_TYPE_ON_FIELD_IN_RECORD',
        `${field.name}: value not of required type: ${String(raw)}`,
      );
    }
    if (typeof raw !== 'string') {
      return bad(
        'INVALID_TYPE_ON_FIELD_IN_RECORD',
        `${field.name}: value not of required type: ${JSON.stringify(raw)}`,
      );
    }
    if (field.type === 'date') {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || parseSfDateTime(raw) === undefined) {
        return bad(
          'INVALID_TYPE_ON_FIELD_IN_RECORD',
          `${field.name}: value not of required type: ${raw}`,
        );
      }
      return { value: raw };
    }
    if (field.type === 'datetime') {
      const ms = parseSfDateTime(raw);
      if (ms === undefined)
        return bad(
          'INVALID_TYPE_ON_FIELD_IN_RECORD',
          `${field.name}: value not of required type: ${raw}`,
        );
      return { value: formatSfDateTime(ms) };
    }
    if (field.type === 'reference') {
      const target = this.findById(raw);
      if (
        !target ||
        !(field.referenceTo ?? []).some((t) => t.toLowerCase() === target.object.toLowerCase())
      ) {
        return bad('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`);
      }
      return { value: target.record.Id };
    }
    if (field.type === 'email' && raw !== '' && !EMAIL.test(raw)) {
      return bad('INVALID_EMAIL_ADDRESS', `${field.name}: invalid email address: ${raw}`);
    }
    if (field.length !== undefined && raw.length > field.length) {
      return bad(
        'STRING_TOO_LONG',
        `${field.name}: data value too large: ${raw.slice(0, 40)} (max length=${field.length})`,
      );
    }
    return { value: raw };
  }

  private checkUnique(
    model: ObjectModel,
    values: Record<string, unknown>,
    selfId?: string,
  ): RecordError[] {
    const errors: RecordError[] = [];
    for (const [name, value] of Object.entries(values)) {
      const field = model.fields.get(name.toLowerCase());
      if (!field || !this.indexed(field) || value === null || value === '') continue;
      if (field.unique !== true && field.externalId !== true) continue;
      if (field.unique !== true) continue;
      const others = [
        ...(this.unique.get(this.uniqueKey(model, field))?.get(this.norm(field, value)) ?? []),
      ].filter((id) => id !== selfId);
      if (others.length > 0) {
        errors.push({
          statusCode: 'DUPLICATE_VALUE',
          message: `duplicate value found: ${field.name} duplicates value on record with id: ${others[0]}`,
          fields: [],
        });
      }
    }
    return errors;
  }

  private derive(model: ObjectModel, record: StoredRecord): void {
    deriveOrderFields(this, model.name, record, String(record.SystemModstamp));
    if (model.name === 'Account' && model.fields.has('billingaddress')) {
      const parts = {
        city: record.BillingCity ?? null,
        country: record.BillingCountry ?? null,
        geocodeAccuracy: null,
        latitude: null,
        longitude: null,
        postalCode: record.BillingPostalCode ?? null,
        state: record.BillingState ?? null,
        street: record.BillingStreet ?? null,
      };
      const any = [parts.city, parts.country, parts.postalCode, parts.state, parts.street].some(
        (v) => v !== null && v !== '',
      );
      record.BillingAddress = any ? parts : null;
    }
    if (model.name === 'Contact' || model.name === 'User') {
      record.Name = [record.FirstName, record.LastName]
        .filter((v) => typeof v === 'string' && v !== '')
        .join(' ');
    }
  }

  create(
    object: string,
    input: Record<string, unknown>,
    skip?: Set<string>,
    fixedId?: string,
  ): WriteOutcome {
    const model = this.model(object);
    if (!model)
      return {
        ok: false,
        errors: [
          {
            statusCode: 'INVALID_TYPE',
            message: `sObject type '${object}' is not supported.`,
            fields: [],
          },
        ],
      };
    const { values, errors } = this.prepare(model, input, 'create', skip);
    if (errors.length === 0) {
      const missing = [...model.fields.values()].filter(
        (f) =>
          isRequired(f) &&
          (values[f.name] === undefined || values[f.name] === null || values[f.name] === ''),
      );
      if (missing.length > 0) {
        const names = missing.map((f) => f.name);
        errors.push({
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: `Required fields are missing: [${names.join(', ')}]`,
          fields: names,
        });
      }
      errors.push(...this.checkUnique(model, values));
    }
    if (errors.length === 0) errors.push(...orderRuleErrors(this, model.name, values));
    if (errors.length > 0) return { ok: false, errors };
    const ms = this.now();
    const stamp = formatSfDateTime(ms);
    const record: StoredRecord = { Id: fixedId ?? this.newId(model) };
    for (const f of model.fields.values()) {
      if (f.name === 'Id') continue;
      record[f.name] = f.type === 'boolean' ? false : null;
    }
    Object.assign(record, values, {
      IsDeleted: false,
      CreatedDate: stamp,
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
    });
    if (model.fields.has('ownerid') && (record.OwnerId === null || record.OwnerId === undefined))
      record.OwnerId = this.defaultUserId;
    this.derive(model, record);
    const table = this.records.get(model.name) as Map<string, StoredRecord>;
    table.set(record.Id, record);
    this.index(model, record, true);
    this.undoLog?.push(() => {
      table.delete(record.Id);
      this.index(model, record, false);
    });
    this.rollUp(model.name, record);
    return { ok: true, id: record.Id, created: true };
  }

  update(
    object: string,
    id: string,
    input: Record<string, unknown>,
    skip?: Set<string>,
  ): WriteOutcome {
    const model = this.model(object);
    if (!model)
      return {
        ok: false,
        errors: [
          {
            statusCode: 'INVALID_TYPE',
            message: `sObject type '${object}' is not supported.`,
            fields: [],
          },
        ],
      };
    const record = this.get(model.name, id);
    if (!record) {
      const deleted = this.isDeleted(model.name, id);
      return {
        ok: false,
        errors: [
          deleted
            ? { statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }
            : {
                statusCode: 'INVALID_CROSS_REFERENCE_KEY',
                message: `invalid cross reference id`,
                fields: [],
              },
        ],
      };
    }
    const { values, errors } = this.prepare(model, input, 'update', skip);
    if (errors.length === 0) {
      for (const [name, value] of Object.entries(values)) {
        const field = model.fields.get(name.toLowerCase());
        if (field && isRequired(field) && (value === null || value === '')) {
          errors.push({
            statusCode: 'REQUIRED_FIELD_MISSING',
            message: `Required fields are missing: [${field.name}]`,
            fields: [field.name],
          });
        }
      }
      errors.push(...this.checkUnique(model, values, record.Id));
    }
    if (errors.length === 0) errors.push(...orderRuleErrors(this, model.name, values, record));
    if (errors.length > 0) return { ok: false, errors, id: record.Id };
    const before = { ...record };
    this.index(model, record, false);
    const stamp = formatSfDateTime(
      Math.max(this.now(), parseSfDateTime(record.SystemModstamp) ?? 0),
    );
    Object.assign(record, values, { LastModifiedDate: stamp, SystemModstamp: stamp });
    this.derive(model, record);
    this.index(model, record, true);
    this.undoLog?.push(() => {
      this.index(model, record, false);
      for (const key of Object.keys(record)) delete record[key];
      Object.assign(record, before);
      this.index(model, record, true);
    });
    this.rollUp(model.name, record);
    return { ok: true, id: record.Id, created: false };
  }

  /**
   * An order product's write changes its order's TotalAmount (a roll-up), which Salesforce
   * stamps on the order too, so incremental reads by SystemModstamp see it.
   */
  private rollUp(object: string, item: StoredRecord): void {
    if (object !== 'OrderItem') return;
    const order = this.get('Order', String(item.OrderId));
    if (!order) return;
    const before = { ...order };
    const stamp = formatSfDateTime(
      Math.max(this.now(), parseSfDateTime(order.SystemModstamp) ?? 0),
    );
    Object.assign(order, {
      TotalAmount: orderTotal(this, order.Id),
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
    });
    this.undoLog?.push(() => Object.assign(order, before));
  }

  /** Upsert by external id (or Id): creates, updates, or reports several matches. */
  upsert(
    object: string,
    externalIdField: string,
    value: unknown,
    input: Record<string, unknown>,
  ): WriteOutcome | { ok: false; multiple: string[] } {
    const model = this.model(object);
    if (!model)
      return {
        ok: false,
        errors: [
          {
            statusCode: 'INVALID_TYPE',
            message: `sObject type '${object}' is not supported.`,
            fields: [],
          },
        ],
      };
    const field = model.fields.get(externalIdField.toLowerCase());
    if (!field || (field.name !== 'Id' && field.externalId !== true && field.idLookup !== true)) {
      return {
        ok: false,
        errors: [
          {
            statusCode: 'NOT_FOUND',
            message: `Provided external ID field does not exist or is not accessible: ${externalIdField}`,
            fields: [externalIdField],
          },
        ],
      };
    }
    if (value === undefined || value === null || value === '') {
      return {
        ok: false,
        errors: [
          {
            statusCode: 'MISSING_ARGUMENT',
            message: `${field.name} not specified`,
            fields: [field.name],
          },
        ],
      };
    }
    const bodyValue = Object.entries(input).find(
      ([k]) => k.toLowerCase() === field.name.toLowerCase(),
    )?.[1];
    if (bodyValue !== undefined && this.norm(field, bodyValue) !== this.norm(field, value)) {
      return {
        ok: false,
        errors: [
          {
            statusCode: 'INVALID_FIELD',
            message: `The external ID field ${field.name} in the body does not match the value in the URL`,
            fields: [field.name],
          },
        ],
      };
    }
    const matches = this.match(model.name, field.name, value);
    if (matches.length > 1) return { ok: false, multiple: matches };
    const skip = new Set([field.name.toLowerCase()]);
    if (matches.length === 1) return this.update(model.name, matches[0] as string, input, skip);
    if (field.name === 'Id') {
      return {
        ok: false,
        errors: [
          {
            statusCode: 'NOT_FOUND',
            message: 'The requested resource does not exist',
            fields: ['Id'],
          },
        ],
      };
    }
    return this.create(model.name, { ...input, [field.name]: value });
  }

  delete(object: string, id: string): WriteOutcome {
    const model = this.model(object);
    const record = model ? this.get(model.name, id) : undefined;
    if (!model || !record) {
      const deleted = model ? this.isDeleted(model.name, id) : false;
      return {
        ok: false,
        errors: [
          deleted
            ? { statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }
            : {
                statusCode: 'INVALID_CROSS_REFERENCE_KEY',
                message: 'invalid cross reference id',
                fields: [],
              },
        ],
      };
    }
    const refused = orderDeleteErrors(this, model.name, record);
    if (refused.length > 0) return { ok: false, errors: refused, id: record.Id };
    const table = this.records.get(model.name) as Map<string, StoredRecord>;
    const bin = this.deleted.get(model.name) as Map<
      string,
      { record: StoredRecord; deletedAt: number }
    >;
    const before = { ...record };
    table.delete(record.Id);
    this.index(model, record, false);
    const ms = this.now();
    const stamp = formatSfDateTime(ms);
    Object.assign(record, { IsDeleted: true, SystemModstamp: stamp, LastModifiedDate: stamp });
    bin.set(record.Id, { record, deletedAt: ms });
    this.undoLog?.push(() => {
      bin.delete(record.Id);
      Object.assign(record, before);
      table.set(record.Id, record);
      this.index(model, record, true);
    });
    this.rollUp(model.name, record);
    return { ok: true, id: record.Id, created: false };
  }

  /** Live and deleted records of every object and the id counter, as plain JSON. */
  dump(): StoreDump {
    const records: Record<string, StoredRecord[]> = {};
    const deleted: StoreDump['deleted'] = {};
    for (const [name, table] of this.records) records[name] = structuredClone([...table.values()]);
    for (const [name, bin] of this.deleted) {
      if (bin.size > 0) deleted[name] = structuredClone([...bin.values()]);
    }
    return { counter: this.counter, records, deleted };
  }

  /**
   * Replaces every record with a dump's. Returns the name of the first object this store has no
   * model for (then nothing is changed), or undefined.
   */
  load(dump: StoreDump): string | undefined {
    const names = [...Object.keys(dump.records), ...Object.keys(dump.deleted)];
    const unknown = names.find((name) => !this.models.has(name.toLowerCase()));
    if (unknown !== undefined) return unknown;
    this.clear();
    this.counter = dump.counter;
    for (const [name, rows] of Object.entries(structuredClone(dump.records))) {
      const model = this.models.get(name.toLowerCase()) as ObjectModel;
      const table = this.records.get(model.name) as Map<string, StoredRecord>;
      for (const record of rows) {
        table.set(record.Id, record);
        this.index(model, record, true);
      }
    }
    for (const [name, entries] of Object.entries(structuredClone(dump.deleted))) {
      const model = this.models.get(name.toLowerCase()) as ObjectModel;
      const bin = this.deleted.get(model.name);
      for (const entry of entries) bin?.set(entry.record.Id, entry);
    }
    return undefined;
  }

  /** Deletes every record of every object (keeps the models). */
  clear(): void {
    for (const table of this.records.values()) table.clear();
    for (const bin of this.deleted.values()) bin.clear();
    this.unique.clear();
  }
}
