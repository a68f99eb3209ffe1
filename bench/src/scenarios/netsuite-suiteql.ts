import { runInChild } from '../harness/child.js';
import { describeLimit, lowerBound } from '../harness/limit.js';
import { measureInterleaved, type VariantSpec } from '../harness/measure.js';
import { liveHeapGrowth } from '../harness/memory.js';
import type { BenchContext, Scenario, ScenarioResult } from '../harness/scenario.js';
import { ratio } from '../harness/stats.js';
import { NS_CONCURRENCY_LIMIT, startNetSuiteAccount } from './netsuite-account.js';
import type { ScanWorkerInput, ScanWorkerOutput } from './netsuite-suiteql.workers.js';

const WORKERS = 'scenarios/netsuite-suiteql.workers.ts';
/** SuiteQL rows per request (NetSuite's maximum). */
const PAGE = 1000;
/** NetSuite pages through at most this many rows of one query with limit/offset. */
const CAP = 100_000;
/** Quick runs lower the cap (the emulator's suiteqlRowCap) so they still cross it. */
const QUICK_CAP = 2_000;

export const netsuiteSuiteql: Scenario = {
  id: 4,
  key: 'netsuite-suiteql',
  title:
    'Reading NetSuite: a SuiteQL scan past the 100,000-row cap, sequential and partitioned, vs a hand-written limit/offset loop',
  async run(context: BenchContext): Promise<ScenarioResult> {
    // Quick mode lowers the cap so it crosses it with a few thousand rows.
    const total = context.quick ? 5_000 : 250_000;
    const cap = context.quick ? QUICK_CAP : CAP;
    const account = await startNetSuiteAccount({
      latencyMs: context.latencyMs,
      customers: total,
      ...(context.quick ? { suiteqlRowCap: cap } : {}),
    });
    try {
      const input: ScanWorkerInput = {
        accountId: account.accountId,
        baseUrl: account.server.url,
        q: 'SELECT id, companyname, email FROM customer',
        total,
        maxRows: cap,
      };
      // A sequential scan has one request in flight (C = 1); the partitioned one may use the
      // account's cap.
      const bound = (concurrency: number) =>
        lowerBound({ records: total, batchSize: PAGE, latencyMs: context.latencyMs, concurrency });
      const limit = bound(1);
      const partitionedLimit = bound(NS_CONCURRENCY_LIMIT);
      const stops = new Set<string>();
      let misplaced = 0;
      const worker = (
        name: string,
        exportName: string,
        extra: Partial<VariantSpec> = {},
      ): VariantSpec => {
        let before = 0;
        return {
          name,
          expected: total,
          limit,
          ...extra,
          prepare: () => {
            before = account.emulator.state.requests;
          },
          run: async () => {
            const report = await runInChild<ScanWorkerOutput>(WORKERS, exportName, input);
            if (report.value.stoppedBy) stops.add(report.value.stoppedBy);
            misplaced += report.value.misplaced;
            return {
              records: report.value.records - report.value.misplaced,
              ms: report.ms,
              requests: account.emulator.state.requests - before,
              peakRssBytes: report.memory.maxRssBytes,
              heapGrowthBytes: liveHeapGrowth(report.memory),
            };
          },
        };
      };
      const variants = await measureInterleaved(
        [
          worker('plumbline suiteqlRows() (keyset past the cap)', 'plumblineScan'),
          worker(
            `plumbline suiteqlRowsPartitioned(): id ranges, ${NS_CONCURRENCY_LIMIT} in flight`,
            'plumblinePartitionedScan',
            { limit: partitionedLimit },
          ),
          worker(
            'plumbline suiteqlRowsPartitioned({ ordered: true }): rows in id order',
            'plumblinePartitionedOrderedScan',
            { limit: partitionedLimit },
          ),
          worker(
            'hand-written limit/offset loop (fetch + TBA header, rows collected)',
            'handWrittenScan',
            total > cap
              ? {
                  shortfallExpected: true,
                  note: `stops at the ${cap.toLocaleString('en-US')}-row cap`,
                }
              : {},
          ),
        ],
        { runs: context.runs, log: context.log },
      );
      const [ours, split, splitOrdered, hand] = variants;
      return {
        id: this.id,
        key: this.key,
        title: this.title,
        variants,
        limit,
        ratios: [
          {
            label: 'sequential suiteqlRows() time / partitioned suiteqlRowsPartitioned() time',
            value: ratio(ours!.medianMs, split!.medianMs),
            headline: true,
          },
          {
            label: 'sequential suiteqlRows() time / partitioned, ordered time',
            value: ratio(ours!.medianMs, splitOrdered!.medianMs),
          },
          {
            label: 'rows returned, plumbline / hand-written loop',
            value: ratio(ours!.records, hand!.records),
            headline: true,
          },
          {
            label: 'plumbline rows per second / hand-written loop rows per second',
            value: ratio(ours!.perSecond, hand!.perSecond),
          },
          {
            label: 'hand-written loop peak live heap growth / plumbline',
            value: ratio(hand!.heapGrowthMb ?? 0, ours!.heapGrowthMb ?? 0),
          },
        ],
        notes: [
          `${total.toLocaleString('en-US')} customer rows in the NetSuite emulator (loopback HTTP, TBA-signed, ${context.latencyMs} ms held per request, account concurrency limit ${NS_CONCURRENCY_LIMIT}, SuiteQL paging cap ${cap.toLocaleString('en-US')} rows); each variant runs in its own Node process.`,
          `Limits: the sequential variants (suiteqlRows, the hand-written loop) have one request in flight, C = 1: ${describeLimit(limit)}; the partitioned variants may use the account's cap, C = ${NS_CONCURRENCY_LIMIT}: ${describeLimit(partitionedLimit)}. Each variant's share of the limit is against its own.`,
          `Every row came back with plumbline: sequential ${ours!.complete ? 'yes' : 'NO'}, partitioned ${split!.complete ? 'yes' : 'NO'}, partitioned ordered ${splitOrdered!.complete ? 'yes' : 'NO'}; rows out of order (sequential, ordered) or repeated (all), over all runs: ${misplaced}. The hand-written loop stopped with: ${[...stops].join('; ') || 'no error'}.`,
          `The partitioned scan reads the first page in id order, asks for the highest id, and splits the rest into at most ${NS_CONCURRENCY_LIMIT * 4} id ranges (no more than the pages left), each read with WHERE id > last AND id <= end at offset 0: one extra request (the highest id) and up to one partial page per range over the sequential scan, and no range meets the cap.`,
          'Peak live heap growth is read after forced full GCs in the child (see scenario 3); the hand-written loop keeps its rows in an array, as such code usually returns them.',
        ],
      };
    } finally {
      await account.close();
    }
  },
};
