/**
 * One step of the dual-write pattern, shared by the iPaaS step and the middleware service: write a
 * Commerce order to NetSuite as a sales order, idempotent by the order's increment id.
 */
import {
  type NetSuiteClient,
  suiteql,
  suiteqlRows,
  upsertByExternalId,
} from '@plumbline/erp-netsuite';
import type { Idempotency } from '@plumbline/sync-core';

export interface CommerceOrderInput {
  increment_id: string;
  grand_total?: number;
  items: { sku: string; qty_ordered: number; price: number }[];
}

export type SalesOrderOutcome =
  | { status: 'created' | 'duplicate'; netsuiteId: string; externalId: string }
  | { status: 'rejected'; externalId: string; reason: string; field: string };

async function idOf(
  client: NetSuiteClient,
  query: ReturnType<typeof suiteql>,
): Promise<string | undefined> {
  for await (const row of suiteqlRows<{ id: string }>(client, query)) return row.id;
  return undefined;
}

/**
 * Upserts `salesOrder/eid:<increment id>` inside the idempotency key `salesOrder:<increment id>`.
 * An unknown customer or item is a rejection naming the field, and is not remembered as done.
 */
export async function writeSalesOrder(
  client: NetSuiteClient,
  idempotency: Idempotency,
  order: CommerceOrderInput,
  customerExternalId: string,
  /** More body fields of the sales order (e.g. `orderStatus: 'A'` to create it Pending Approval). */
  fields: Record<string, unknown> = {},
): Promise<SalesOrderOutcome> {
  const externalId = order.increment_id;
  type Outcome = { id: string } | { rejected: string; field: string };
  let created = false;
  const result = await idempotency.run<Outcome>(`salesOrder:${externalId}`, async () => {
    const entity = await idOf(
      client,
      suiteql`SELECT id FROM customer WHERE externalid = ${customerExternalId}`,
    );
    if (!entity) {
      return {
        rejected: `NetSuite has no customer with external id ${customerExternalId}`,
        field: 'customerExternalId',
      };
    }
    const lines: Record<string, unknown>[] = [];
    for (const [i, line] of order.items.entries()) {
      const item = await idOf(client, suiteql`SELECT id FROM item WHERE itemid = ${line.sku}`);
      if (!item)
        return { rejected: `NetSuite has no item ${line.sku}`, field: `order.items[${i}].sku` };
      lines.push({
        item: { id: item },
        quantity: Number(line.qty_ordered),
        rate: Number(line.price),
      });
    }
    const ref = await upsertByExternalId(
      client,
      'salesOrder',
      externalId,
      {
        entity: { id: entity },
        otherRefNum: externalId,
        memo: `Adobe Commerce order #${externalId}`,
        custbody_commerce_total: order.grand_total,
        item: { items: lines },
        ...fields,
      },
      { replace: ['item'] },
    );
    created = true;
    return { id: ref.id };
  });
  if ('rejected' in result) {
    // Not remembered as done: once NetSuite has the customer or item, the same order succeeds.
    await idempotency.forget(`salesOrder:${externalId}`);
    return { status: 'rejected', externalId, reason: result.rejected, field: result.field };
  }
  return { status: created ? 'created' : 'duplicate', netsuiteId: result.id, externalId };
}
