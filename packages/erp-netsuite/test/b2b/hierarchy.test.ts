import { describe, expect, it } from 'vitest';
import {
  createRecord,
  deleteRecord,
  getRecord,
  HttpError,
  netSuiteErrorDetails,
  schemas,
  suiteql,
  suiteqlRows,
  updateRecord,
} from '../../src/index.js';
import { b2bAccount } from './harness.js';

// Customer hierarchies: "A subcustomer record is a customer record that has another customer
// record as its parent ... subcustomers can have their own subcustomers"
// (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N1085616.html); the
// REST customer record's `parent` is a customer reference (REST API Browser, customer:
// https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/article_161581923822.html).

const ctx = b2bAccount();

async function refusal(write: Promise<unknown>): Promise<HttpError> {
  const error = await write.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('customer hierarchy', () => {
  it('creates subcustomers two levels deep and reads parent as a customer reference', async () => {
    const { client } = ctx;
    const group = await createRecord(client, 'customer', { companyName: 'Acme Group' });
    const west = await createRecord(client, 'customer', {
      companyName: 'Acme West',
      parent: { id: group.id },
    });
    const store = await createRecord(client, 'customer', {
      companyName: 'Acme West Store 7',
      parent: { id: west.id },
    });
    const read = await getRecord(client, 'customer', store.id, { schema: schemas.customer });
    expect(read.parent).toMatchObject({ id: west.id, refName: 'Acme West' });
    expect(read.parent?.links?.[0]?.href).toMatch(new RegExp(`/record/v1/customer/${west.id}$`));
    expect(read.isPerson).toBe(false);

    // SuiteQL: customer.parent is the parent's internal id; isperson and companyname are columns.
    const rows: Record<string, string>[] = [];
    for await (const row of suiteqlRows<Record<string, string>>(
      client,
      suiteql`SELECT id, parent, isperson, companyname FROM customer WHERE parent IN ${[
        Number(group.id),
        Number(west.id),
      ]} ORDER BY id`,
    ))
      rows.push(row);
    expect(rows).toEqual([
      { id: west.id, parent: group.id, isperson: 'F', companyname: 'Acme West' },
      { id: store.id, parent: west.id, isperson: 'F', companyname: 'Acme West Store 7' },
    ]);
    // A top-level customer has no parent: SuiteQL leaves the NULL column out.
    const top: Record<string, string>[] = [];
    for await (const row of suiteqlRows<Record<string, string>>(
      client,
      suiteql`SELECT id, parent FROM customer WHERE id = ${Number(group.id)}`,
    ))
      top.push(row);
    expect(top).toEqual([{ id: group.id }]);
  });

  it('refuses a parent that is the customer itself or one of its subcustomers', async () => {
    const { client, emulator } = ctx;
    const root = await createRecord(client, 'customer', { companyName: 'Root Co' });
    const child = await createRecord(client, 'customer', {
      companyName: 'Child Co',
      parent: { id: root.id },
    });
    const grandchild = await createRecord(client, 'customer', {
      companyName: 'Grandchild Co',
      parent: { id: child.id },
    });
    for (const parent of [root.id, grandchild.id]) {
      const error = await refusal(
        updateRecord(client, 'customer', root.id, { parent: { id: parent } }),
      );
      expect(error.status).toBe(400);
      expect(netSuiteErrorDetails(error)[0]).toMatchObject({
        code: 'INVALID_CONTENT',
        path: 'parent',
        detail: expect.stringContaining(
          `Invalid Field Value ${parent} for the following field: parent`,
        ),
      });
    }
    // Nothing changed: the root is still top-level.
    expect(emulator.state.get('customer', root.id)?.parent).toBeUndefined();
    // A parent that does not exist is refused on create too.
    const missing = await refusal(
      createRecord(client, 'customer', { companyName: 'Orphan', parent: { id: '999999' } }),
    );
    expect(netSuiteErrorDetails(missing)[0]?.path).toBe('parent');
  });

  it('moves a subcustomer to another parent and back to the top level', async () => {
    const { client, emulator } = ctx;
    const a = await createRecord(client, 'customer', { companyName: 'Parent A' });
    const b = await createRecord(client, 'customer', { companyName: 'Parent B' });
    const sub = await createRecord(client, 'customer', {
      companyName: 'Movable',
      parent: { id: a.id },
    });
    await updateRecord(client, 'customer', sub.id, { parent: { id: b.id } });
    expect(emulator.state.get('customer', sub.id)?.parent).toEqual({ id: b.id });
    // Oracle: a body field set to null in a PATCH is deleted (section_1545142173).
    await updateRecord(client, 'customer', sub.id, { parent: null });
    expect(emulator.state.get('customer', sub.id)?.parent).toBeUndefined();
  });

  it('keeps a parent that still has subcustomers, and deletes it once they are gone', async () => {
    const { client } = ctx;
    const parent = await createRecord(client, 'customer', { companyName: 'Holding' });
    const sub = await createRecord(client, 'customer', {
      companyName: 'Branch',
      parent: { id: parent.id },
    });
    const error = await refusal(deleteRecord(client, 'customer', parent.id));
    expect(error.status).toBe(400);
    expect(netSuiteErrorDetails(error)[0]?.detail).toContain('dependent records');
    await deleteRecord(client, 'customer', sub.id);
    await deleteRecord(client, 'customer', parent.id);
  });

  it('marks a customer created from a first and last name only as a person', async () => {
    const { client } = ctx;
    const person = await createRecord(client, 'customer', { firstName: 'Ada', lastName: 'Byron' });
    const rows: Record<string, string>[] = [];
    for await (const row of suiteqlRows<Record<string, string>>(
      client,
      suiteql`SELECT isperson FROM customer WHERE id = ${Number(person.id)}`,
    ))
      rows.push(row);
    expect(rows).toEqual([{ isperson: 'T' }]);
  });
});
