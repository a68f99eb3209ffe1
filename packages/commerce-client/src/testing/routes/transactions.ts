import { getTransaction, transactionView } from '../payment-transactions.js';
import { type Route, route } from '../router.js';
import type { CommerceEmulatorState } from '../state.js';
import { intParam, search } from './common.js';

/** Payment transactions (`/V1/transactions`) and the capture of an open invoice. */
export function transactionRoutes(state: CommerceEmulatorState, maxPageSize?: number): Route[] {
  return [
    route('GET', '/V1/transactions', 'Magento_Sales::transactions_fetch', (c) =>
      search(
        c,
        [...state.transactions.values()].map((t) => transactionView(state, t)),
        maxPageSize,
      ),
    ),
    route('GET', '/V1/transactions/:id', 'Magento_Sales::transactions_fetch', (c) =>
      getTransaction(state, intParam(c, 'id')),
    ),
    route('POST', '/V1/invoices/:id/capture', 'Magento_Sales::sales_invoice', (c) =>
      state.captureInvoice(intParam(c, 'id')),
    ),
  ];
}
