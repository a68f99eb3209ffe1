import type { components } from '../../generated/schema.js';
import { MagentoFault, notFoundEntity, required } from '../fault.js';
import type { CommerceEmulatorState } from '../state.js';

type Schemas = components['schemas'];
export type EmulatorCreditLimit = Schemas['CreditLimit'] & Record<string, unknown>;
export type EmulatorCreditHistory = Schemas['CreditHistoryEntry'] & Record<string, unknown>;

/**
 * Credit operations (https://developer.adobe.com/commerce/webapi/rest/b2b/credit-manage/):
 * increaseBalance takes every type but Purchased, decreaseBalance Updated, Purchased or
 * Reimbursed.
 */
export const CREDIT_OPERATION = {
  allocated: 1,
  updated: 2,
  purchased: 3,
  reimbursed: 4,
  refunded: 5,
  reverted: 6,
} as const;

const INCREASE_TYPES = new Set([1, 2, 4, 5, 6]);
const DECREASE_TYPES = new Set([2, 3, 4]);

function invalid(fieldName: string, value: unknown): MagentoFault {
  return new MagentoFault(400, 'Invalid value of "%value" provided for the %fieldName field.', {
    value: String(value),
    fieldName,
  });
}

/** Magento keeps a history comment as JSON: `{"custom":"…"}` (Adobe's history example). */
function storedComment(comment: unknown): string {
  return typeof comment === 'string' && comment !== '' ? JSON.stringify({ custom: comment }) : '';
}

export interface BalanceChange {
  value?: unknown;
  currency?: unknown;
  operation_type?: unknown;
  comment?: unknown;
  options?: Record<string, unknown>;
}

/** Company credit limits, balances (negative while owed) and their history. */
export class CreditStore {
  readonly credits = new Map<number, EmulatorCreditLimit>();
  readonly history = new Map<number, EmulatorCreditHistory>();
  readonly #state: CommerceEmulatorState;

  constructor(state: CommerceEmulatorState) {
    this.#state = state;
  }

  /** A new company gets a credit of 0 in the base currency. */
  open(companyId: number): void {
    const id = this.#state.nextId('company_credit');
    this.credits.set(id, {
      id,
      company_id: companyId,
      credit_limit: 0,
      balance: 0,
      currency_code: 'USD',
      exceed_limit: false,
      available_limit: 0,
    });
  }

  get(id: number): EmulatorCreditLimit {
    const credit = this.credits.get(id);
    if (!credit) throw notFoundEntity('id', id);
    return this.#view(credit);
  }

  byCompany(companyId: number): EmulatorCreditLimit {
    const credit = [...this.credits.values()].find((c) => c.company_id === companyId);
    if (!credit) throw notFoundEntity('companyId', companyId);
    return this.#view(credit);
  }

  list(): EmulatorCreditLimit[] {
    return [...this.credits.values()].map((c) => {
      const { credit_comment: _comment, ...item } = this.#view(c);
      return item as EmulatorCreditLimit;
    });
  }

  #view(credit: EmulatorCreditLimit): EmulatorCreditLimit {
    return {
      ...credit,
      available_limit: Number(credit.credit_limit ?? 0) + Number(credit.balance ?? 0),
    };
  }

  /** `PUT /V1/companyCredits/{id}`: the limit, currency or exceed flag; a new limit is recorded. */
  update(id: number, input: Partial<EmulatorCreditLimit>): EmulatorCreditLimit {
    if (!input || typeof input !== 'object') throw required('creditLimit');
    const credit = this.credits.get(id);
    if (!credit) throw notFoundEntity('id', id);
    const limit = input.credit_limit ?? credit.credit_limit;
    if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0) {
      throw invalid('credit_limit', limit);
    }
    const changed = limit !== credit.credit_limit;
    const firstAllocation = !this.#entries(id).some((h) => h.type === CREDIT_OPERATION.allocated);
    Object.assign(credit, {
      credit_limit: limit,
      currency_code: input.currency_code ?? credit.currency_code,
      exceed_limit: input.exceed_limit ?? credit.exceed_limit,
      ...(input.credit_comment === undefined ? {} : { credit_comment: input.credit_comment }),
    });
    if (changed) {
      this.#record(credit, {
        type: firstAllocation ? CREDIT_OPERATION.allocated : CREDIT_OPERATION.updated,
        amount: 0,
        comment: input.credit_comment,
      });
    }
    return this.#view(credit);
  }

  /** `increaseBalance` (+value: less is owed) and `decreaseBalance` (-value). */
  changeBalance(id: number, direction: 1 | -1, change: BalanceChange): true {
    const credit = this.credits.get(id);
    if (!credit) throw notFoundEntity('id', id);
    const value = change.value;
    if (value === undefined || value === null) throw required('value');
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw invalid('value', value);
    }
    if (change.currency === undefined || change.currency === null) throw required('currency');
    if (change.currency !== credit.currency_code) throw invalid('currency', change.currency);
    const type = change.operation_type;
    if (type === undefined || type === null) throw required('operationType');
    const allowed = direction === 1 ? INCREASE_TYPES : DECREASE_TYPES;
    if (typeof type !== 'number' || !allowed.has(type)) throw invalid('operationType', type);
    credit.balance = Number(credit.balance ?? 0) + direction * value;
    const options = change.options ?? {};
    this.#record(credit, {
      type,
      amount: direction * value,
      comment: change.comment,
      ...(typeof options.purchase_order === 'string'
        ? { purchase_order: options.purchase_order }
        : {}),
      ...(typeof options.custom_reference_number === 'string'
        ? { custom_reference_number: options.custom_reference_number }
        : {}),
    });
    return true;
  }

  #entries(creditId: number): EmulatorCreditHistory[] {
    return [...this.history.values()].filter((h) => h.company_credit_id === creditId);
  }

  #record(
    credit: EmulatorCreditLimit,
    entry: { type: number; amount: number; comment: unknown } & Partial<
      Omit<EmulatorCreditHistory, 'comment'>
    >,
  ): void {
    const id = this.#state.nextId('company_credit_history');
    const { comment, ...rest } = entry;
    this.history.set(id, {
      id,
      company_credit_id: Number(credit.id),
      user_id: 1,
      user_type: 2,
      currency_credit: String(credit.currency_code),
      currency_operation: String(credit.currency_code),
      rate: 1,
      rate_credit: 0,
      balance: Number(credit.balance ?? 0),
      credit_limit: Number(credit.credit_limit ?? 0),
      available_limit: Number(credit.credit_limit ?? 0) + Number(credit.balance ?? 0),
      datetime: this.#state.timestamp(),
      comment: storedComment(comment),
      ...rest,
    });
  }

  /** `PUT /V1/companyCredits/history/{historyId}`: only a Reimburse entry takes a PO and comment. */
  updateHistory(id: number, purchaseOrder: unknown, comment: unknown): true {
    const entry = this.history.get(id);
    if (!entry) throw notFoundEntity('historyId', id);
    if (entry.type !== CREDIT_OPERATION.reimbursed) {
      throw new MagentoFault(
        400,
        'Cannot process the request. Please check the operation type and try again.',
      );
    }
    if (typeof purchaseOrder === 'string') entry.purchase_order = purchaseOrder;
    if (typeof comment === 'string') entry.comment = storedComment(comment);
    return true;
  }
}
