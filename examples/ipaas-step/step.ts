/**
 * An iPaaS custom-code step: one step of the dual-write order pattern, as a single function.
 *
 *   handler({ order, customerExternalId, netsuite }) → { status, netsuiteId, externalId }
 *
 * It writes one Adobe Commerce order to NetSuite as a sales order, idempotent by the order's
 * increment id: a memory idempotency store answers repeats within a warm runtime, and the upsert
 * by external id (`PUT /salesOrder/eid:<increment id>`) makes a repeat after a cold start update
 * the same sales order instead of creating a second one.
 *
 * Bundled into one file with no native dependency (`pnpm run build:ipaas`), it is what you paste
 * or upload into the platform's custom-code step.
 */
import { createNetSuiteClient, type NetSuiteAuth } from '@plumbline/erp-netsuite';
import { createIdempotency, memoryIdempotencyStore } from '@plumbline/sync-core';
import { type SalesOrderOutcome, writeSalesOrder } from '../shared/sales-order.js';

export interface StepInput {
  /** The Commerce order as `GET /V1/orders/{id}` returns it (only these fields are read). */
  order: {
    increment_id: string;
    grand_total?: number;
    items: { sku: string; qty_ordered: number; price: number }[];
  };
  /** The customer's external id in NetSuite (the previous step looked it up). */
  customerExternalId: string;
  netsuite: {
    accountId: string;
    /** Override of the REST base (tests, proxies); default from the account id. */
    baseUrl?: string;
    auth: NetSuiteAuth;
  };
}

export type StepOutput = SalesOrderOutcome;

/** Bad input is answered, not thrown, so the iPaaS flow can route it; `field` names the culprit. */
export class StepInputError extends Error {
  readonly code = 'STEP_INPUT';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'StepInputError';
  }
}

// Survives between invocations while the platform keeps the runtime warm.
const idempotency = createIdempotency(memoryIdempotencyStore(), { lockMs: 60_000 });

function check(input: StepInput): void {
  if (!input || typeof input !== 'object') throw new StepInputError('input', 'must be an object');
  const { order } = input;
  if (!order || typeof order.increment_id !== 'string' || order.increment_id === '') {
    throw new StepInputError('order.increment_id', 'must be a non-empty string');
  }
  if (!Array.isArray(order.items) || order.items.length === 0) {
    throw new StepInputError('order.items', 'must list at least one line');
  }
  order.items.forEach((line, i) => {
    if (typeof line?.sku !== 'string' || line.sku === '') {
      throw new StepInputError(`order.items[${i}].sku`, 'must be a non-empty string');
    }
    if (!(Number(line.qty_ordered) > 0)) {
      throw new StepInputError(`order.items[${i}].qty_ordered`, 'must be a positive number');
    }
  });
  if (typeof input.customerExternalId !== 'string' || input.customerExternalId === '') {
    throw new StepInputError('customerExternalId', 'must be a non-empty string');
  }
  if (!input.netsuite?.accountId || !input.netsuite.auth) {
    throw new StepInputError('netsuite', 'needs accountId and auth');
  }
}

export async function handler(input: StepInput): Promise<StepOutput> {
  const externalId = String(input?.order?.increment_id ?? '');
  try {
    check(input);
  } catch (error) {
    if (error instanceof StepInputError) {
      return { status: 'rejected', externalId, reason: error.message, field: error.field };
    }
    throw error;
  }
  const client = createNetSuiteClient({
    accountId: input.netsuite.accountId,
    auth: input.netsuite.auth,
    ...(input.netsuite.baseUrl ? { baseUrl: input.netsuite.baseUrl } : {}),
  });
  return writeSalesOrder(client, idempotency, input.order, input.customerExternalId);
}
