import { bulkIngest, collections } from '@plumbline/crm-salesforce';
import jsforce from 'jsforce';
import { lowerBound } from '../harness/limit.js';
import { measureInterleaved, type VariantSpec } from '../harness/measure.js';
import type { BenchContext, Scenario, ScenarioResult } from '../harness/scenario.js';
import { ratio } from '../harness/stats.js';
import {
  accountRecord,
  EXTERNAL_ID,
  type SalesforceOrg,
  SF_API_VERSION,
  SF_TOKEN,
  salesforceClient,
  startSalesforceOrg,
} from './salesforce-org.js';

/** sObject Collections take at most 200 records a request. */
const COLLECTION_SIZE = 200;
/** Concurrent requests for our collections and jsforce-by-hand; Salesforce caps concurrent long-running requests at 25 in production orgs. */
const CONCURRENCY = 25;

interface JsforceSaveResult {
  success: boolean;
}

function jsforceConnection(instanceUrl: string) {
  return new jsforce.Connection({ instanceUrl, accessToken: SF_TOKEN, version: SF_API_VERSION });
}

async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<number>,
) {
  let next = 0;
  let total = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const done = await fn(items[next++]!);
        total += done;
      }
    }),
  );
  return total;
}

const successes = (results: JsforceSaveResult | JsforceSaveResult[]) =>
  (Array.isArray(results) ? results : [results]).filter((r) => r.success).length;

export const salesforceUpsert: Scenario = {
  id: 2,
  key: 'salesforce-upsert',
  title: 'Accounts to Salesforce: upserts by external id, plumbline vs jsforce 3.10.16',
  async run(context: BenchContext): Promise<ScenarioResult> {
    const total = context.quick ? 600 : 10_000;
    const records = Array.from({ length: total }, (_, i) => accountRecord(i));
    const limit = lowerBound({
      records: total,
      batchSize: COLLECTION_SIZE,
      latencyMs: context.latencyMs,
      concurrency: CONCURRENCY,
    });

    // Every run gets a fresh org, so each one inserts the same 10,000 accounts.
    let org: SalesforceOrg | undefined;
    let before = 0;
    const prepare = async () => {
      await org?.close();
      org = await startSalesforceOrg({ latencyMs: context.latencyMs });
      before = org.requests();
    };
    // A run counts the records the org then holds, not only what the client reported (untimed).
    const stored = (reported: number) => ({
      records: reported,
      requests: org!.requests() - before,
      verify: () => org!.emulator.state.records('Account').length,
    });

    const specs: VariantSpec[] = [
      {
        name: `plumbline collections (upsert, 200 a request, ${CONCURRENCY} in flight)`,
        expected: total,
        limit,
        prepare,
        run: async () => {
          const outcomes = await collections(salesforceClient(org!.server.url), {
            operation: 'upsert',
            sobject: 'Account',
            externalIdField: EXTERNAL_ID,
            records,
            concurrency: CONCURRENCY,
          });
          return stored(outcomes.filter((o) => o.success).length);
        },
      },
      {
        name: 'plumbline bulkIngest (Bulk API 2.0 upsert, default polling)',
        expected: total,
        prepare,
        note: 'one job; time is mostly the poll schedule (first poll after 500 ms)',
        run: async () => {
          let ok = 0;
          for await (const result of bulkIngest(salesforceClient(org!.server.url), {
            object: 'Account',
            operation: 'upsert',
            externalIdFieldName: EXTERNAL_ID,
            records,
          })) {
            if (result.status === 'success') ok++;
          }
          return stored(ok);
        },
      },
      {
        name: "jsforce upsert(records, extId, { allowRecursive: true }) — jsforce's own way",
        expected: total,
        limit,
        prepare,
        note: 'batches of 200, one after another',
        run: async () => {
          const conn = jsforceConnection(org!.server.url);
          const results = await conn
            .sobject('Account')
            .upsert(records, EXTERNAL_ID, { allowRecursive: true });
          return stored(successes(results));
        },
      },
      {
        name: `jsforce by hand: chunks of 200, ${CONCURRENCY} in parallel`,
        expected: total,
        limit,
        prepare,
        run: async () => {
          const conn = jsforceConnection(org!.server.url);
          const chunks = [];
          for (let i = 0; i < records.length; i += COLLECTION_SIZE) {
            chunks.push(records.slice(i, i + COLLECTION_SIZE));
          }
          const ok = await inParallel(chunks, CONCURRENCY, async (chunk) =>
            successes(await conn.sobject('Account').upsert(chunk, EXTERNAL_ID)),
          );
          return stored(ok);
        },
      },
    ];
    const variants = await measureInterleaved(specs, { runs: context.runs, log: context.log });

    // jsforce without allowRecursive: all records in one request, which the API refuses.
    await prepare();
    let refused = '';
    try {
      await jsforceConnection(org!.server.url).sobject('Account').upsert(records, EXTERNAL_ID);
    } catch (error) {
      refused = error instanceof Error ? error.message : String(error);
    }
    const storedWithout = org!.emulator.state.records('Account').length;
    await org?.close();

    const [ours, bulk, jsOwn, jsHand] = variants;
    return {
      id: this.id,
      key: this.key,
      title: this.title,
      variants,
      limit,
      ratios: [
        {
          label: "jsforce's own way (allowRecursive) time / plumbline collections time",
          value: ratio(jsOwn!.medianMs, ours!.medianMs),
          headline: true,
        },
        {
          label: 'jsforce by hand (same concurrency) time / plumbline collections time',
          value: ratio(jsHand!.medianMs, ours!.medianMs),
          headline: true,
        },
        {
          label: 'plumbline bulkIngest time / plumbline collections time',
          value: ratio(bulk!.medianMs, ours!.medianMs),
        },
      ],
      notes: [
        `${total.toLocaleString('en-US')} Accounts upserted by ${EXTERNAL_ID} into a fresh emulator org per run (loopback HTTP, ${context.latencyMs} ms per request); a run counts the accounts the org then holds.`,
        `Limit uses B = 200 (sObject Collections) and C = ${CONCURRENCY} (Salesforce's cap on concurrent long-running requests; no lower cap applies to short ones). Bulk API is asynchronous, so the formula does not apply to it.`,
        `jsforce without allowRecursive sends all ${total.toLocaleString('en-US')} records in one request: the org refused it (${refused.slice(0, 120) || 'no error'}) and holds ${storedWithout} accounts.`,
      ],
    };
  },
};
