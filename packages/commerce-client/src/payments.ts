import type { z } from 'zod';
import type { CommerceClient } from './client.js';
import { searchCriteria } from './query/search-criteria.js';
import { parseEntity, schemas } from './schemas/index.js';

/** A payment transaction (validated by `schemas.transaction`). */
export type PaymentTransaction = z.output<typeof schemas.transaction>;

/**
 * `POST /V1/invoices/{id}/capture`: capture an open invoice. Magento answers `"1"` (a bool cast
 * to the declared string; some versions `true`); both read as `true`.
 */
export async function captureInvoice(client: CommerceClient, invoiceId: number): Promise<boolean> {
  const { data } = await client.POST('/V1/invoices/{id}/capture', {
    params: { path: { id: invoiceId } },
  });
  const answer = parseEntity(schemas.captureResult, data, 'capture');
  return answer === true || answer === '1' || answer === 'true';
}

/** `GET /V1/transactions` filtered by `order_id`, oldest first: an order's payment history. */
export async function orderTransactions(
  client: CommerceClient,
  orderId: number,
): Promise<PaymentTransaction[]> {
  const query = searchCriteria<'order_id' | 'transaction_id'>()
    .where('order_id', 'eq', orderId)
    .orderBy('transaction_id', 'ASC')
    .toQuery();
  const { data } = await client.GET('/V1/transactions', { params: { query } });
  return parseEntity(schemas.searchResult(schemas.transaction), data, 'transactions').items;
}
