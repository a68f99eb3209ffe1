import { runInChild } from '../harness/child.js';
import { lowerBound } from '../harness/limit.js';
import { measureInterleaved, type VariantSpec } from '../harness/measure.js';
import { liveHeapGrowth, mb } from '../harness/memory.js';
import type { BenchContext, Scenario, ScenarioResult } from '../harness/scenario.js';
import { ratio } from '../harness/stats.js';
import { EXTERNAL_ID, startSalesforceOrg } from './salesforce-org.js';
import type { QueryWorkerInput } from './salesforce-query.workers.js';

const WORKERS = 'scenarios/salesforce-query.workers.ts';
/** Records per query batch (Salesforce's default and maximum). */
const BATCH = 2000;

export const salesforceQuery: Scenario = {
  id: 3,
  key: 'salesforce-query',
  title: 'Reading Salesforce: a SOQL query through our iterator vs jsforce autoFetch',
  async run(context: BenchContext): Promise<ScenarioResult> {
    const total = context.quick ? 5_000 : 100_000;
    const org = await startSalesforceOrg({ latencyMs: context.latencyMs, seedAccounts: total });
    try {
      const input: QueryWorkerInput = {
        instanceUrl: org.server.url,
        soql: `SELECT Id, Name, AccountNumber, Industry, BillingCity, BillingCountry, Phone, NumberOfEmployees, ${EXTERNAL_ID} FROM Account`,
        total,
      };
      // Query cursors are sequential: each page's nextRecordsUrl comes with the previous page.
      const limit = lowerBound({
        records: total,
        batchSize: BATCH,
        latencyMs: context.latencyMs,
        concurrency: 1,
      });
      const worker = (name: string, exportName: string): VariantSpec => {
        let before = 0;
        return {
          name,
          expected: total,
          limit,
          prepare: () => {
            before = org.requests();
          },
          run: async () => {
            const report = await runInChild<{ records: number }>(WORKERS, exportName, input);
            return {
              records: report.value.records,
              ms: report.ms,
              requests: org.requests() - before,
              peakRssBytes: report.memory.maxRssBytes,
              heapGrowthBytes: liveHeapGrowth(report.memory),
            };
          },
        };
      };
      const variants = await measureInterleaved(
        [
          worker('plumbline query() iterator', 'plumblineQuery'),
          worker('jsforce query(…, { autoFetch: true }) — array', 'jsforceQueryArray'),
          worker("jsforce query().on('record') — record events", 'jsforceQueryEvents'),
        ],
        { runs: context.runs, log: context.log },
      );
      // The idle child is context for the full report; quick mode skips the extra process.
      const idle = context.quick
        ? undefined
        : await runInChild<{ records: number }>(WORKERS, 'baseline', input);
      const [ours, jsArray, jsEvents] = variants;
      return {
        id: this.id,
        key: this.key,
        title: this.title,
        variants,
        limit,
        ratios: [
          {
            label: 'jsforce array form peak heap growth / plumbline iterator peak heap growth',
            value: ratio(jsArray!.heapGrowthMb ?? 0, ours!.heapGrowthMb ?? 0),
            headline: true,
          },
          {
            label:
              'jsforce record-event form peak heap growth / plumbline iterator peak heap growth',
            value: ratio(jsEvents!.heapGrowthMb ?? 0, ours!.heapGrowthMb ?? 0),
          },
          {
            label: 'jsforce array form time / plumbline iterator time',
            value: ratio(jsArray!.medianMs, ours!.medianMs),
          },
        ],
        notes: [
          `${total.toLocaleString('en-US')} Accounts (9 fields) read with one SOQL query from the emulator over loopback HTTP (${context.latencyMs} ms per request, ${BATCH} records a batch); each variant runs in its own Node process, the emulator stays in the parent.`,
          `Peak RSS is the child's process.resourceUsage().maxRSS; heap growth is the live heap: every second the child forces a full GC (--expose-gc) and reads heapUsed; the peak minus the same reading before the read is what the reader kept alive. ${idle ? `An idle child with the same modules loaded peaks at ${mb(idle.memory.maxRssBytes).toFixed(0)} MB RSS.` : ''}`.trim(),
          'Limit uses C = 1: a query cursor is read page after page.',
        ],
      };
    } finally {
      await org.close();
    }
  },
};
