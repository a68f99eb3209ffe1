import { runInChild } from '../harness/child.js';
import { describeLimit, lowerBound } from '../harness/limit.js';
import { measureInterleaved, type VariantSpec } from '../harness/measure.js';
import { liveHeapGrowth, mb } from '../harness/memory.js';
import type { BenchContext, Scenario, ScenarioResult } from '../harness/scenario.js';
import { ratio } from '../harness/stats.js';
import { EXTERNAL_ID, startSalesforceOrg } from './salesforce-org.js';
import type { QueryWorkerInput } from './salesforce-query.workers.js';

const WORKERS = 'scenarios/salesforce-query.workers.ts';
/** Records per query batch (Salesforce's default and maximum). */
const BATCH = 2000;
/** Salesforce's cap on concurrent long-running requests per org: what a partitioned read may use. */
const SF_CONCURRENCY_CAP = 25;

export const salesforceQuery: Scenario = {
  id: 3,
  key: 'salesforce-query',
  title:
    'Reading Salesforce: a SOQL query through our iterator, sequential and partitioned, vs jsforce autoFetch',
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
      const bound = (concurrency: number) =>
        lowerBound({ records: total, batchSize: BATCH, latencyMs: context.latencyMs, concurrency });
      const limit = bound(1);
      // Id ranges are separate cursors: the partitioned read may use the org's cap.
      const partitionedLimit = bound(SF_CONCURRENCY_CAP);
      const worker = (name: string, exportName: string, variantLimit = limit): VariantSpec => {
        let before = 0;
        return {
          name,
          expected: total,
          limit: variantLimit,
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
          worker(
            'plumbline queryPartitioned(): Id ranges, 8 in flight',
            'plumblinePartitionedQuery',
            partitionedLimit,
          ),
          worker('jsforce query(…, { autoFetch: true }) — array', 'jsforceQueryArray'),
          worker("jsforce query().on('record') — record events", 'jsforceQueryEvents'),
        ],
        { runs: context.runs, log: context.log },
      );
      // The idle child is context for the full report; quick mode skips the extra process.
      const idle = context.quick
        ? undefined
        : await runInChild<{ records: number }>(WORKERS, 'baseline', input);
      const [ours, split, jsArray, jsEvents] = variants;
      return {
        id: this.id,
        key: this.key,
        title: this.title,
        variants,
        limit,
        ratios: [
          {
            label: 'jsforce array form time / plumbline queryPartitioned() time',
            value: ratio(jsArray!.medianMs, split!.medianMs),
            headline: true,
          },
          {
            label:
              'jsforce array form peak heap growth / plumbline queryPartitioned() peak heap growth',
            value: ratio(jsArray!.heapGrowthMb ?? 0, split!.heapGrowthMb ?? 0),
          },
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
          `Limits: a query cursor is read page after page, so the sequential variants (our iterator, jsforce) have C = 1: ${describeLimit(limit)}; the partitioned read uses separate cursors and may use Salesforce's ${SF_CONCURRENCY_CAP} concurrent long-running requests: ${describeLimit(partitionedLimit)}. It runs 8 ranges at once (its default without a limiter), so its share of that limit is at most 8/${SF_CONCURRENCY_CAP}.`,
          'queryPartitioned reads the first batch in Id order, asks for the highest Id, then splits the rest into at most 32 Id ranges (4 × 8, no more than the batches left): 2 requests plus up to one partial batch per range over the iterator. A record counts once however often it came back.',
        ],
      };
    } finally {
      await org.close();
    }
  },
};
