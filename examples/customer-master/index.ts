/**
 * customer-master: an eventually consistent customer master between Adobe Commerce, NetSuite and
 * Salesforce. Changes are collected from each system since its cursor, ordered by timestamp and
 * merged by ownership (NetSuite owns credit terms and addresses, Salesforce owns contact and sales
 * fields, Commerce owns storefront fields). A non-owner's edit is refused and logged as a conflict;
 * the integration's own writes are recognised when they come back and suppressed as echoes.
 */
import { type CommerceClient, formatMagentoDate, paginate } from '@plumbline/commerce-client';
import { queryAll, type SalesforceClient, soql, upsert } from '@plumbline/crm-salesforce';
import {
  type NetSuiteClient,
  suiteql,
  suiteqlRows,
  updateRecord,
  upsertByExternalId,
} from '@plumbline/erp-netsuite';
import {
  createCheckpointStore,
  createConflictLog,
  createEchoGuard,
  defineOwnership,
} from '@plumbline/sync-core';
import { isMain } from '../shared/cli.js';
import { type ExampleOptions, withContext } from '../shared/context.js';
import { runPatternCli } from '../shared/pattern-cli.js';
import { COMMERCE_EXTERNAL_ID, SF_EXTERNAL_ID } from '../shared/records.js';
import {
  addConflict,
  addMoved,
  emptyReport,
  type PatternReport,
  type SystemName,
} from '../shared/report.js';
import { seededRandom } from '../shared/seed.js';
import { retryTransient } from '../shared/transient.js';

/** The customer as the master knows it: one shape for all three systems. */
export interface Customer {
  email: string;
  firstname: string;
  lastname: string;
  phone: string;
  salesRep: string;
  creditTerms: string;
  street: string;
  city: string;
  region: string;
  postcode: string;
}
const FIELDS = [
  'email',
  'firstname',
  'lastname',
  'phone',
  'salesRep',
  'creditTerms',
  'street',
  'city',
  'region',
  'postcode',
] as const satisfies readonly (keyof Customer)[];

const SYSTEMS = ['commerce', 'netsuite', 'salesforce'] as const satisfies readonly SystemName[];
type System = (typeof SYSTEMS)[number];

/** Who owns which field: everything not listed belongs to Commerce (storefront fields). */
export const ownership = defineOwnership<{ customer: Customer }>()({
  systems: SYSTEMS,
  entities: {
    customer: {
      default: 'commerce',
      fields: {
        phone: 'salesforce',
        salesRep: 'salesforce',
        creditTerms: 'netsuite',
        street: 'netsuite',
        city: 'netsuite',
        region: 'netsuite',
        postcode: 'netsuite',
      },
    },
  },
});

interface Row {
  key: string;
  /** Where to write it back: Commerce entity id, NetSuite internal id, Salesforce id. */
  id: string;
  updatedAt: number;
  fields: Customer;
  raw: Record<string, any>;
}

export interface CustomerMasterOptions extends ExampleOptions {
  /** Edits made in each system by its owners between syncs (default 10 a system). */
  edits?: number;
  /** Edits of fields the editing system does not own (default 5). */
  foreignEdits?: number;
}

export interface CustomerMasterReport extends PatternReport {
  details: {
    cycles: number;
    changesSeen: number;
    applied: number;
    refused: { key: string; field: string; from: string; owner: string }[];
    conflictsLogged: number;
    differences: string[];
    customers: number;
  };
}

// ---- reading each system into the master's shape ----

function parseTime(value: unknown): number {
  const text = String(value ?? '');
  // Magento and NetSuite's TO_CHAR: "YYYY-MM-DD HH:MM:SS" (UTC); Salesforce: ISO-8601.
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)
    ? `${text.replace(' ', 'T')}Z`
    : text;
  const ms = Date.parse(iso.replace(/\+0000$/, 'Z'));
  return Number.isNaN(ms) ? 0 : ms;
}

async function readCommerce(client: CommerceClient, since?: Date): Promise<Row[]> {
  const rows: Row[] = [];
  const criteria = since
    ? {
        filter_groups: [
          {
            filters: [
              { field: 'updated_at', value: formatMagentoDate(since), condition_type: 'gteq' },
            ],
          },
        ],
      }
    : {};
  for await (const c of paginate(client, '/V1/customers/search', { criteria, pageSize: 300 })) {
    const raw = c as Record<string, any>;
    const attr = (code: string) =>
      String(
        ((raw.custom_attributes ?? []) as { attribute_code: string; value: unknown }[]).find(
          (a) => a.attribute_code === code,
        )?.value ?? '',
      );
    const key = attr(COMMERCE_EXTERNAL_ID);
    if (!key) continue;
    const address = ((raw.addresses ?? []) as Record<string, any>[])[0] ?? {};
    rows.push({
      key,
      id: String(raw.id),
      updatedAt: parseTime(raw.updated_at),
      raw,
      fields: {
        email: String(raw.email ?? ''),
        firstname: String(raw.firstname ?? ''),
        lastname: String(raw.lastname ?? ''),
        phone: attr('telephone'),
        salesRep: attr('sales_rep'),
        creditTerms: attr('credit_terms'),
        street: String((address.street as string[] | undefined)?.[0] ?? ''),
        city: String(address.city ?? ''),
        region: String(address.region?.region_code ?? ''),
        postcode: String(address.postcode ?? ''),
      },
    });
  }
  return rows;
}

async function readNetSuite(client: NetSuiteClient): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const r of suiteqlRows<Record<string, string | null>>(
    client,
    // NetSuite shows a plain date column in the user's date format without a time (2/11/2024), so
    // the time of the last change is selected with TO_CHAR (UTC, as the integration user's zone).
    suiteql`SELECT id, externalid, email, firstname, lastname, phone, terms, custentity_sales_rep, custentity_street, custentity_city, custentity_region, custentity_postcode, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS lastmodified FROM customer WHERE externalid LIKE 'CUST-%' ORDER BY id`,
  )) {
    rows.push({
      key: String(r.externalid),
      id: String(r.id),
      updatedAt: parseTime(r.lastmodified),
      raw: r,
      fields: {
        email: r.email ?? '',
        firstname: r.firstname ?? '',
        lastname: r.lastname ?? '',
        phone: r.phone ?? '',
        salesRep: r.custentity_sales_rep ?? '',
        creditTerms: r.terms ?? '',
        street: r.custentity_street ?? '',
        city: r.custentity_city ?? '',
        region: r.custentity_region ?? '',
        postcode: r.custentity_postcode ?? '',
      },
    });
  }
  return rows;
}

async function readSalesforce(client: SalesforceClient, since?: Date): Promise<Row[]> {
  const where = since ? soql` AND LastModifiedDate >= ${since}` : '';
  const records = await queryAll<Record<string, any>>(
    client,
    `SELECT Id, ${SF_EXTERNAL_ID}, Email, FirstName, LastName, Phone, Sales_Rep__c, Credit_Terms__c, MailingStreet, MailingCity, MailingState, MailingPostalCode, LastModifiedDate FROM Contact WHERE ${SF_EXTERNAL_ID} != null${where}`,
  );
  return records.map((r) => ({
    key: String(r[SF_EXTERNAL_ID]),
    id: String(r.Id),
    updatedAt: parseTime(r.LastModifiedDate),
    raw: r,
    fields: {
      email: String(r.Email ?? ''),
      firstname: String(r.FirstName ?? ''),
      lastname: String(r.LastName ?? ''),
      phone: String(r.Phone ?? ''),
      salesRep: String(r.Sales_Rep__c ?? ''),
      creditTerms: String(r.Credit_Terms__c ?? ''),
      street: String(r.MailingStreet ?? ''),
      city: String(r.MailingCity ?? ''),
      region: String(r.MailingState ?? ''),
      postcode: String(r.MailingPostalCode ?? ''),
    },
  }));
}

// ---- writing the master's shape back ----

async function writeCommerce(client: CommerceClient, row: Row, c: Customer): Promise<void> {
  const attrs = ((row.raw.custom_attributes ?? []) as { attribute_code: string; value: unknown }[])
    .filter((a) => !['telephone', 'sales_rep', 'credit_terms'].includes(a.attribute_code))
    .concat([
      { attribute_code: 'telephone', value: c.phone },
      { attribute_code: 'sales_rep', value: c.salesRep },
      { attribute_code: 'credit_terms', value: c.creditTerms },
    ]);
  const address = ((row.raw.addresses ?? []) as Record<string, any>[])[0] ?? {};
  await client.PUT('/V1/customers/{customerId}', {
    params: { path: { customerId: row.id } },
    body: {
      customer: {
        id: Number(row.id),
        email: c.email,
        firstname: c.firstname,
        lastname: c.lastname,
        website_id: row.raw.website_id ?? 1,
        group_id: row.raw.group_id ?? 1,
        custom_attributes: attrs,
        addresses: [
          {
            ...address,
            firstname: c.firstname,
            lastname: c.lastname,
            street: [c.street],
            city: c.city,
            region: { ...(address.region ?? {}), region_code: c.region },
            postcode: c.postcode,
            telephone: c.phone,
            country_id: address.country_id ?? 'US',
          },
        ],
      },
    },
  });
}

async function writeNetSuite(client: NetSuiteClient, row: Row, c: Customer): Promise<void> {
  // Setting fields to values is safe to repeat, so a failed PATCH is sent again.
  await retryTransient(() =>
    updateRecord(client, 'customer', row.id, {
      email: c.email,
      firstName: c.firstname,
      lastName: c.lastname,
      phone: c.phone,
      terms: c.creditTerms,
      custentity_sales_rep: c.salesRep,
      custentity_street: c.street,
      custentity_city: c.city,
      custentity_region: c.region,
      custentity_postcode: c.postcode,
    }),
  );
}

async function createInNetSuite(client: NetSuiteClient, key: string, c: Customer): Promise<void> {
  // An upsert by external id: safe to repeat, and the transport retries it.
  await upsertByExternalId(client, 'customer', key, {
    companyName: `${c.firstname} ${c.lastname}`.trim(),
    email: c.email,
    firstName: c.firstname,
    lastName: c.lastname,
    phone: c.phone,
    terms: c.creditTerms,
    custentity_sales_rep: c.salesRep,
    custentity_street: c.street,
    custentity_city: c.city,
    custentity_region: c.region,
    custentity_postcode: c.postcode,
  });
}

async function writeSalesforce(client: SalesforceClient, row: Row, c: Customer): Promise<void> {
  await upsert(client, 'Contact', SF_EXTERNAL_ID, row.key, {
    Email: c.email,
    FirstName: c.firstname,
    LastName: c.lastname,
    Phone: c.phone,
    Sales_Rep__c: c.salesRep,
    Credit_Terms__c: c.creditTerms,
    MailingStreet: c.street,
    MailingCity: c.city,
    MailingState: c.region,
    MailingPostalCode: c.postcode,
  });
}

/**
 * Waits for the next second. Commerce and NetSuite stamp changes to the second, so an edit made
 * in the same second as a version the cursor already delivered would look already seen; the
 * simulated edits therefore start in a fresh second.
 */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1050 - (Date.now() % 1000)));

export async function run(options: CustomerMasterOptions = {}): Promise<CustomerMasterReport> {
  return withContext('customer-master', options, {}, async (ctx) => {
    const started = Date.now();
    const report = emptyReport('customer-master') as CustomerMasterReport;
    const { commerce, netsuite, salesforce } = ctx.systems;
    const kv = ctx.stores.kv;
    const checkpoints = createCheckpointStore({ store: kv, namespace: 'customer-master/cursor' });
    const echoes = createEchoGuard({
      store: kv,
      ttlMs: 10 * 60_000,
      fields: FIELDS,
      namespace: 'customer-master/echo',
    });
    const conflictLog = createConflictLog({ store: kv, namespace: 'customer-master/conflict' });
    const read = (system: System, since?: Date) =>
      system === 'commerce'
        ? readCommerce(commerce, since)
        : system === 'netsuite'
          ? readNetSuite(netsuite)
          : readSalesforce(salesforce, since);

    // The master record of each customer, kept in the state store.
    const masterKey = (key: string) => `customer-master/record/${key}`;
    const loadMaster = async (key: string) => {
      const text = await kv.get(masterKey(key));
      return text ? (JSON.parse(text) as Customer) : undefined;
    };

    // 0. First run: the master starts from the owners' values of every field; cursors start now.
    const baseline = ctx.progress.task('customers: baseline');
    const snapshot = Object.fromEntries(
      await Promise.all(SYSTEMS.map(async (s) => [s, await read(s)] as const)),
    ) as Record<System, Row[]>;
    const bySystem = (rows: Row[]) => new Map(rows.map((r) => [r.key, r]));
    const indexes: Record<System, Map<string, Row>> = {
      commerce: bySystem(snapshot.commerce),
      netsuite: bySystem(snapshot.netsuite),
      salesforce: bySystem(snapshot.salesforce),
    };
    let created = 0;
    for (const key of indexes.commerce.keys()) {
      let master = await loadMaster(key);
      if (!master) {
        master = {} as Customer;
        for (const field of FIELDS) {
          const owner = ownership.ownerOf('customer', field) as System;
          master[field] =
            indexes[owner].get(key)?.fields[field] ?? indexes.commerce.get(key)!.fields[field];
        }
        await kv.set(masterKey(key), JSON.stringify(master));
      }
      // A customer who registered in Commerce but is missing in the ERP or the CRM is created there.
      for (const system of ['netsuite', 'salesforce'] as const) {
        if (indexes[system].has(key)) continue;
        await echoes.remember(system, 'customer', key, { ...master });
        if (system === 'netsuite') await createInNetSuite(netsuite, key, master);
        else await writeSalesforce(salesforce, { key } as Row, master);
        addMoved(report, system);
        created++;
      }
      baseline.tick();
    }
    if (created > 0) {
      // Read the created rows back, so later writes know their ids.
      indexes.netsuite = bySystem(await read('netsuite'));
      indexes.salesforce = bySystem(await read('salesforce'));
    }
    for (const system of SYSTEMS) {
      const cursor = await checkpoints.load<Row>(system, {
        updatedAt: (r) => r.updatedAt,
        id: (r) => r.key,
        lookBackMs: 2000,
      });
      if (!(await checkpoints.token(system)))
        await checkpoints.commit(system, cursor.advance(snapshot[system]));
    }
    baseline.done(`${indexes.commerce.size} customers`);

    // 1. Between syncs, people edit customers in every system (simulated: emulators only).
    const refusedExpected: string[] = [];
    if (ctx.systems.mode === 'emulators') {
      await nextSecond();
      const edit = ctx.progress.task('customers: edits in every system');
      const random = seededRandom(61);
      const keys = [...indexes.commerce.keys()];
      const pick = () => keys[Math.floor(random() * keys.length)]!;
      const n = options.edits ?? 10;
      for (let i = 0; i < n; i++) {
        // Commerce (storefront owner): the shopper corrects their name.
        const c = indexes.commerce.get(pick())!;
        await retryTransient(() =>
          writeCommerce(commerce, c, { ...c.fields, lastname: `${c.fields.lastname}-Ray` }),
        );
        // Salesforce (CRM owner): a new sales rep and a direct line.
        const s = indexes.salesforce.get(pick())!;
        await retryTransient(() =>
          writeSalesforce(salesforce, s, {
            ...s.fields,
            salesRep: 'Jordan Avery',
            phone: `+1-555-700-${String(1000 + i)}`,
          }),
        );
        // NetSuite (ERP owner): new terms and a new billing address.
        const ns = indexes.netsuite.get(pick())!;
        await writeNetSuite(netsuite, ns, {
          ...ns.fields,
          creditTerms: 'Net 45',
          street: `${100 + i} Foundry Rd`,
          city: 'Denver',
          region: 'CO',
          postcode: '80216',
        });
        edit.tick(3);
      }
      // A shopper edits their address in Commerce: Commerce does not own addresses, so the edit
      // is refused and the ERP's address is written back.
      for (let i = 0; i < (options.foreignEdits ?? 5); i++) {
        const c = indexes.commerce.get(keys[(i * 11 + 3) % keys.length]!)!;
        await retryTransient(() =>
          writeCommerce(commerce, c, { ...c.fields, city: 'Springfield', postcode: '00000' }),
        );
        refusedExpected.push(c.key);
        edit.tick();
      }
      edit.done();
    }

    // 2. Sync cycles until quiet: collect changes, order them by time, merge by ownership, apply.
    const d = {
      cycles: 0,
      changesSeen: 0,
      applied: 0,
      refused: [] as CustomerMasterReport['details']['refused'],
    };
    for (let cycle = 0; cycle < 6; cycle++) {
      // Each cycle starts in a fresh second: our writes then carry a later second than the rows
      // the cursor delivered, so they come back as change events and the echo guard (not the
      // cursor) recognises them.
      await nextSecond();
      d.cycles++;
      const task = ctx.progress.task(`customers: sync cycle ${cycle + 1}`);
      const changes: Array<{ system: System; row: Row }> = [];
      const advanced = new Map<System, Awaited<ReturnType<typeof checkpoints.load<Row>>>>();
      const current: Record<System, Map<string, Row>> = {
        commerce: new Map(),
        netsuite: new Map(),
        salesforce: new Map(),
      };
      for (const system of SYSTEMS) {
        const cursor = await checkpoints.load<Row>(system, {
          updatedAt: (r) => r.updatedAt,
          id: (r) => r.key,
          lookBackMs: 2000,
        });
        const rows = await read(system, cursor.window().since);
        const fresh = cursor.filter(rows);
        advanced.set(system, cursor.advance(fresh));
        for (const row of fresh) {
          current[system].set(row.key, row);
          if (await echoes.isEcho(system, 'customer', row.key, { ...row.fields })) {
            report.echoesSuppressed++;
            continue;
          }
          changes.push({ system, row });
        }
      }
      d.changesSeen += changes.length;
      if (changes.length === 0) {
        task.done('quiet');
        break;
      }
      // Ordered by timestamp: a later change of an owned field wins over an earlier one.
      changes.sort((a, b) => a.row.updatedAt - b.row.updatedAt);
      const touched = new Map<string, Customer>();
      for (const { system, row } of changes) {
        const master = touched.get(row.key) ?? (await loadMaster(row.key));
        if (!master) continue;
        const patch: Partial<Customer> = {};
        for (const field of FIELDS)
          if (row.fields[field] !== master[field]) patch[field] = row.fields[field];
        const { accepted, refused } = ownership.accept(system, 'customer', patch);
        for (const r of refused) {
          d.refused.push({ key: row.key, field: r.field, from: system, owner: r.owner });
          addConflict(report, 'ownership');
          await conflictLog.write({
            entity: 'customer',
            key: row.key,
            field: r.field,
            left: { system, value: patch[r.field as keyof Customer] },
            right: { system: r.owner, value: master[r.field as keyof Customer] },
            winner: r.owner,
            value: master[r.field as keyof Customer],
            rule: 'ownership',
            at: new Date().toISOString(),
          });
        }
        touched.set(row.key, { ...master, ...accepted });
      }
      // Apply the merged records wherever a system differs (including the refused system, which
      // gets the owner's value back). Each write is remembered so its echo is recognised.
      for (const [key, master] of touched) {
        await kv.set(masterKey(key), JSON.stringify(master));
        for (const system of SYSTEMS) {
          const row = current[system].get(key) ?? indexes[system].get(key);
          if (!row) continue;
          if (FIELDS.every((f) => row.fields[f] === master[f])) continue;
          await echoes.remember(system, 'customer', key, { ...master });
          if (system === 'commerce')
            await retryTransient(() => writeCommerce(commerce, row, master));
          else if (system === 'netsuite') await writeNetSuite(netsuite, row, master);
          else await writeSalesforce(salesforce, row, master);
          addMoved(report, system);
          d.applied++;
          task.tick();
        }
      }
      // The cursors move only now that the changes are applied.
      for (const [system, cursor] of advanced) await checkpoints.commit(system, cursor);
      task.done(`${changes.length} changes, ${d.refused.length} refused so far`);
    }

    // 3. Read every system back: all three must agree with the master on every field.
    const verify = ctx.progress.task('customers: verify');
    const finalRows = Object.fromEntries(
      await Promise.all(SYSTEMS.map(async (s) => [s, bySystem(await read(s))] as const)),
    ) as Record<System, Map<string, Row>>;
    const differences: string[] = [];
    for (const key of finalRows.commerce.keys()) {
      const master = await loadMaster(key);
      for (const system of SYSTEMS) {
        const row = finalRows[system].get(key);
        for (const field of FIELDS) {
          if (!row || !master || row.fields[field] !== master[field]) {
            differences.push(
              `${key}.${field} in ${system}: ${row?.fields[field]} ≠ ${master?.[field]}`,
            );
          }
        }
      }
    }
    verify.done(`${differences.length} differences`);
    const logged = await conflictLog.query({ entity: 'customer' });
    report.details = {
      ...d,
      conflictsLogged: logged.length,
      differences: differences.slice(0, 20),
      customers: finalRows.commerce.size,
    };
    report.reconciliation.remaining = differences.length;
    if (differences.length > 0)
      report.notes.push(`differences: ${differences.slice(0, 5).join('; ')}`);
    report.notes.push(
      `${d.changesSeen} changes in ${d.cycles} cycles, ${d.applied} writes, ${d.refused.length} non-owner edits refused and logged, ${report.echoesSuppressed} echoes of our own writes suppressed`,
    );
    report.converged =
      differences.length === 0 &&
      refusedExpected.every((key) => d.refused.some((r) => r.key === key));
    report.durationMs = Date.now() - started;
    return report;
  });
}

if (isMain(import.meta.url)) runPatternCli(run, {});
