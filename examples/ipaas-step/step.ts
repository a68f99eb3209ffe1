/**
 * An iPaaS custom-code step: one step of the dual-write order pattern, as a single function.
 *
 *   handler({ orderId, commerce, salesforce, netsuite }) → { status, netsuiteId, externalId }
 *
 * It reads the order from Adobe Commerce, finds the customer's master id on their Salesforce
 * contact (by the order's e-mail), and writes the order to NetSuite as a sales order, idempotent by
 * the order's increment id: a sync-core memory idempotency store answers repeats within a warm
 * runtime, and the upsert by external id (`PUT /salesOrder/eid:<increment id>`) makes a repeat
 * after a cold start update the same sales order instead of creating a second one.
 *
 * Bundled into one file with no native dependency (`pnpm run build:ipaas`), it is what you paste
 * or upload into the platform's custom-code step; `pnpm run recipe:ipaas` builds it and runs it
 * from a folder without node_modules against the emulators.
 */
import { HttpError } from '@plumbline/client-core';
import { createCommerceClient } from '@plumbline/commerce-client';
import { createSalesforceClient, query, soql, soqlIdentifier } from '@plumbline/crm-salesforce';
import { createNetSuiteClient, type NetSuiteAuth } from '@plumbline/erp-netsuite';
import { createIdempotency, memoryIdempotencyStore } from '@plumbline/sync-core';
import { SF_EXTERNAL_ID } from '../shared/records.js';
import {
  type CommerceOrderInput,
  type SalesOrderOutcome,
  writeSalesOrder,
} from '../shared/sales-order.js';

export interface StepInput {
  /** The Commerce order's entity id (`GET /V1/orders/{id}`). */
  orderId: number;
  commerce: {
    /** The store root, without /rest. */
    baseUrl: string;
    /** An integration's access token. */
    token: string;
  };
  salesforce: { instanceUrl: string; accessToken: string };
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
  if (!Number.isInteger(input.orderId) || input.orderId <= 0) {
    throw new StepInputError('orderId', "must be a positive integer (the order's entity id)");
  }
  if (!input.commerce?.baseUrl || !input.commerce.token) {
    throw new StepInputError('commerce', 'needs baseUrl and token');
  }
  if (!input.salesforce?.instanceUrl || !input.salesforce.accessToken) {
    throw new StepInputError('salesforce', 'needs instanceUrl and accessToken');
  }
  if (!input.netsuite?.accountId || !input.netsuite.auth) {
    throw new StepInputError('netsuite', 'needs accountId and auth');
  }
}

interface CommerceOrder extends CommerceOrderInput {
  customer_email?: string;
}

/** The order as Commerce has it; a missing order is bad input. */
async function readOrder(input: StepInput): Promise<CommerceOrder> {
  const commerce = createCommerceClient({
    baseUrl: input.commerce.baseUrl,
    auth: { type: 'bearer', token: input.commerce.token },
  });
  const data = await commerce
    .GET('/V1/orders/{id}', { params: { path: { id: input.orderId } } })
    .then(
      (answer) => answer.data,
      (error: unknown) => {
        if (error instanceof HttpError && error.status === 404) return undefined;
        throw error;
      },
    );
  if (!data) throw new StepInputError('orderId', `Adobe Commerce has no order ${input.orderId}`);
  const order = data as unknown as CommerceOrder;
  if (!Array.isArray(order.items) || order.items.length === 0) {
    throw new StepInputError('order.items', 'the order has no lines');
  }
  return order;
}

/** The customer's master id, kept on their Salesforce contact. */
async function customerIdOf(input: StepInput, email: string | undefined): Promise<string> {
  if (!email) throw new StepInputError('order.customer_email', 'the order has no e-mail');
  const salesforce = createSalesforceClient({
    auth: {
      type: 'accessToken',
      accessToken: input.salesforce.accessToken,
      instanceUrl: input.salesforce.instanceUrl,
    },
  });
  for await (const contact of query<Record<string, unknown>>(
    salesforce,
    soql`SELECT Id, ${soqlIdentifier(SF_EXTERNAL_ID)} FROM Contact WHERE Email = ${email} LIMIT 1`,
  )) {
    const id = contact[SF_EXTERNAL_ID];
    if (typeof id === 'string' && id !== '') return id;
  }
  throw new StepInputError(
    'order.customer_email',
    `no Salesforce contact with this e-mail carries ${SF_EXTERNAL_ID}`,
  );
}

export async function handler(input: StepInput): Promise<StepOutput> {
  let externalId = '';
  try {
    check(input);
    const order = await readOrder(input);
    externalId = order.increment_id;
    const customerExternalId = await customerIdOf(input, order.customer_email);
    const netsuite = createNetSuiteClient({
      accountId: input.netsuite.accountId,
      auth: input.netsuite.auth,
      ...(input.netsuite.baseUrl ? { baseUrl: input.netsuite.baseUrl } : {}),
    });
    return await writeSalesOrder(netsuite, idempotency, order, customerExternalId);
  } catch (error) {
    if (error instanceof StepInputError) {
      return { status: 'rejected', externalId, reason: error.message, field: error.field };
    }
    throw error;
  }
}
