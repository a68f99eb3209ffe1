import type { Scenario } from '../harness/scenario.js';
import { clientOverhead } from './client-overhead.js';
import { commerceInventory } from './commerce-inventory.js';
import { netsuiteOrders } from './netsuite-orders.js';
import { netsuiteSuiteql } from './netsuite-suiteql.js';
import { salesforceQuery } from './salesforce-query.js';
import { salesforceUpsert } from './salesforce-upsert.js';
import { scaleOut } from './scale-out.js';
import { syncCoreInProcess } from './sync-core-in-process.js';

/** Every scenario `pnpm bench` runs, in the order. */
export const scenarios: readonly Scenario[] = [
  commerceInventory,
  salesforceUpsert,
  salesforceQuery,
  netsuiteSuiteql,
  netsuiteOrders,
  clientOverhead,
  syncCoreInProcess,
  scaleOut,
];

/** Scenarios of the issue that are not measured yet, with the reason (printed in RESULTS.md). */
export const unavailable: readonly { id: number; title: string; reason: string }[] = [];
