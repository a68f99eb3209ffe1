import { MagentoFault, MESSAGES } from './fault.js';
import type {
  CommerceEmulatorState,
  EmulatorInvoice,
  EmulatorOrder,
  EmulatorTransaction,
} from './state.js';

/** `txn_type` values of `Magento\Sales\Model\Order\Payment\Transaction`. */
export type TransactionType = 'order' | 'authorization' | 'capture' | 'refund' | 'void';

/** The transaction as the REST API answers it: with its child transactions, recursively. */
export type TransactionView = EmulatorTransaction & { child_transactions: TransactionView[] };

/**
 * Record a payment transaction. A root transaction gets an emulated gateway id; a child gets
 * `<parent txn_id>-<type>`, Magento's own id for a gateway that returns none
 * (`Payment\Transaction\Manager::generateTransactionId`), numbered when that id is taken.
 */
export function recordTransaction(
  state: CommerceEmulatorState,
  order: EmulatorOrder,
  type: TransactionType,
  parent?: EmulatorTransaction,
): EmulatorTransaction {
  const id = state.nextId('transaction');
  const txnId = parent ? childTxnId(state, parent, type) : `emu${String(id).padStart(8, '0')}`;
  const transaction: EmulatorTransaction = {
    transaction_id: id,
    parent_id: parent ? parent.transaction_id : null,
    order_id: Number(order.entity_id),
    payment_id: Number(order.payment?.entity_id ?? order.entity_id),
    txn_id: txnId,
    parent_txn_id: parent ? parent.txn_id : null,
    txn_type: type,
    is_closed: type === 'void' ? 1 : 0,
    created_at: state.timestamp(),
  };
  state.transactions.set(id, transaction);
  if (order.payment) order.payment.last_trans_id = txnId;
  return transaction;
}

function childTxnId(
  state: CommerceEmulatorState,
  parent: EmulatorTransaction,
  type: TransactionType,
): string {
  const base = `${parent.txn_id}-${type}`;
  const taken = new Set([...state.transactions.values()].map((t) => t.txn_id));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

/** The order's authorization that can still be captured or voided. */
export function openAuthorization(
  state: CommerceEmulatorState,
  order: EmulatorOrder,
): EmulatorTransaction | undefined {
  return [...state.transactions.values()].find(
    (t) =>
      t.order_id === Number(order.entity_id) && t.txn_type === 'authorization' && t.is_closed === 0,
  );
}

/** Authorize the order's grand total (payment action "Authorize"). */
export function authorizePayment(state: CommerceEmulatorState, order: EmulatorOrder): void {
  const amount = Number(order.grand_total);
  if (order.payment) {
    order.payment.amount_authorized = amount;
    order.payment.base_amount_authorized = amount;
  }
  recordTransaction(state, order, 'authorization');
}

/**
 * Capture an invoice against the order's authorization: a `capture` child transaction whose id
 * the invoice keeps as `transaction_id`; the authorization closes once everything is captured.
 */
export function captureAgainstAuthorization(
  state: CommerceEmulatorState,
  order: EmulatorOrder,
  invoice: EmulatorInvoice,
): void {
  const authorization = openAuthorization(state, order);
  if (!authorization) return;
  const capture = recordTransaction(state, order, 'capture', authorization);
  invoice.transaction_id = capture.txn_id;
  const paid = Number(order.payment?.amount_paid ?? 0) + Number(invoice.grand_total ?? 0);
  if (order.payment) {
    order.payment.amount_paid = paid;
  }
  if (paid >= Number(order.payment?.amount_authorized ?? 0)) authorization.is_closed = 1;
}

/** Cancel voids what is still authorized (a `void` child; the authorization closes). */
export function voidAuthorization(state: CommerceEmulatorState, order: EmulatorOrder): void {
  const authorization = openAuthorization(state, order);
  if (!authorization) return;
  recordTransaction(state, order, 'void', authorization);
  authorization.is_closed = 1;
}

/** A stored transaction with its `child_transactions` filled in. */
export function transactionView(
  state: CommerceEmulatorState,
  transaction: EmulatorTransaction,
): TransactionView {
  const children = [...state.transactions.values()].filter(
    (t) => t.parent_id === transaction.transaction_id,
  );
  return {
    ...structuredClone(transaction),
    child_transactions: children.map((child) => transactionView(state, child)),
  };
}

export function getTransaction(state: CommerceEmulatorState, id: number): TransactionView {
  const transaction = state.transactions.get(id);
  if (!transaction) throw new MagentoFault(404, MESSAGES.entityMissing);
  return transactionView(state, transaction);
}
