import type { RunningServer } from '@plumbline/client-core/testing';
import { createCommerceClient } from '@plumbline/commerce-client';
import { type CommerceEmulator, createCommerceEmulator } from '@plumbline/commerce-client/testing';
import { createRunner, memoryDeadLetter } from '@plumbline/sync-core';
import { describeLimit, lowerBound } from '../harness/limit.js';
import { measureInterleaved, type VariantSpec } from '../harness/measure.js';
import type { BenchContext, Scenario, ScenarioResult } from '../harness/scenario.js';
import { ratio } from '../harness/stats.js';

const TOKEN = 'bench-integration-token';
/** Source items per POST /V1/inventory/source-items. Magento sets no cap by default. */
const BATCH = 500;
/**
 * Requests in flight. Adobe Commerce publishes no general REST concurrency limit (only checkout
 * endpoints are rate limited); 4 is a conservative per-integration setting for one store.
 */
const CONCURRENCY = 4;

interface SourceItem {
  sku: string;
  source_code: string;
  quantity: number;
  status: number;
}

function update(i: number): SourceItem {
  return {
    sku: `SKU-${String(i).padStart(6, '0')}`,
    source_code: 'default',
    quantity: (i * 7) % 1000,
    status: 1,
  };
}

/** Source items the store now holds with exactly the quantity sent. */
function applied(emulator: CommerceEmulator, updates: readonly SourceItem[]): number {
  let n = 0;
  for (const u of updates) {
    const saved = emulator.state.sourceItems.get(`${u.sku}\u0000${u.source_code}`);
    if (saved && Number(saved.quantity) === u.quantity) n++;
  }
  return n;
}

export const commerceInventory: Scenario = {
  id: 1,
  key: 'commerce-inventory',
  title:
    'Inventory to Commerce: source-item updates through the sync runner vs a naive per-SKU loop',
  async run(context: BenchContext): Promise<ScenarioResult> {
    const total = context.quick ? 1_000 : 20_000;
    // A per-SKU loop at 20 ms a request would take 400 s for 20,000: it is timed on a sample
    // (every request is alike, so its rate holds for any N).
    const naiveTotal = 100;
    const updates = Array.from({ length: total }, (_, i) => update(i));
    const limit = lowerBound({
      records: total,
      batchSize: BATCH,
      latencyMs: context.latencyMs,
      concurrency: CONCURRENCY,
    });
    // The naive loop may use neither batches nor concurrency: its own limit is B = 1, C = 1.
    const naiveLimit = lowerBound({
      records: naiveTotal,
      batchSize: 1,
      latencyMs: context.latencyMs,
      concurrency: 1,
    });

    let emulator: CommerceEmulator | undefined;
    let server: RunningServer | undefined;
    let before = 0;
    const prepare = async () => {
      await server?.close();
      emulator = createCommerceEmulator({
        integrationTokens: [TOKEN],
        ...(context.latencyMs > 0 ? { faults: { latencyMs: context.latencyMs } } : {}),
      });
      server = await emulator.listen();
      before = emulator.requests.length;
    };
    const client = () =>
      createCommerceClient({ baseUrl: server!.url, auth: { type: 'bearer', token: TOKEN } });
    const requests = () => emulator!.requests.length - before;

    const specs: VariantSpec[] = [
      {
        name: `plumbline sync runner: batches of ${BATCH}, ${CONCURRENCY} in flight`,
        expected: total,
        limit,
        prepare,
        run: async () => {
          const commerce = client();
          const deadLetter = memoryDeadLetter<SourceItem>();
          const runner = createRunner<SourceItem>({
            source: () => updates,
            batchSize: BATCH,
            concurrency: CONCURRENCY,
            sink: async (batch, { signal }) => {
              await commerce.POST('/V1/inventory/source-items', {
                body: { sourceItems: batch },
                signal,
              });
            },
            deadLetter,
            total,
          });
          const summary = await runner.run();
          return {
            records: summary.done,
            requests: requests(),
            verify: () => applied(emulator!, updates),
          };
        },
      },
      {
        name: `hand-written batches: ${BATCH} a POST, ${CONCURRENCY} in flight (no runner)`,
        expected: total,
        limit,
        prepare,
        run: async () => {
          // What a careful engineer writes without the runner: slice, then a fixed pool of
          // workers taking the next slice. No dead letters, no retry bookkeeping, no progress.
          const commerce = client();
          const batches: SourceItem[][] = [];
          for (let i = 0; i < updates.length; i += BATCH) batches.push(updates.slice(i, i + BATCH));
          let next = 0;
          let sent = 0;
          await Promise.all(
            Array.from({ length: CONCURRENCY }, async () => {
              while (next < batches.length) {
                const batch = batches[next++]!;
                await commerce.POST('/V1/inventory/source-items', { body: { sourceItems: batch } });
                sent += batch.length;
              }
            }),
          );
          return {
            records: sent,
            requests: requests(),
            verify: () => applied(emulator!, updates),
          };
        },
      },
      {
        name: 'naive loop: one POST per SKU, one at a time',
        expected: naiveTotal,
        limit: naiveLimit,
        prepare,
        note: `measured on ${naiveTotal} of ${total.toLocaleString('en-US')} updates`,
        run: async () => {
          const commerce = client();
          const sample = updates.slice(0, naiveTotal);
          for (const item of sample) {
            await commerce.POST('/V1/inventory/source-items', { body: { sourceItems: [item] } });
          }
          return {
            records: sample.length,
            requests: requests(),
            verify: () => applied(emulator!, sample),
          };
        },
      },
    ];
    const variants = await measureInterleaved(specs, { runs: context.runs, log: context.log });
    await server?.close();
    const [ours, byHand, naive] = variants;
    return {
      id: this.id,
      key: this.key,
      title: this.title,
      variants,
      limit,
      ratios: [
        {
          label: 'plumbline sync runner updates/s / hand-written batches (same B and C) updates/s',
          value: ratio(ours!.perSecond, byHand!.perSecond),
          headline: true,
        },
        {
          label: 'plumbline sync runner updates/s / naive per-SKU loop updates/s',
          value: ratio(ours!.perSecond, naive!.perSecond),
          headline: true,
        },
      ],
      notes: [
        `${total.toLocaleString('en-US')} MSI source-item updates (POST /V1/inventory/source-items, bearer integration token) into a fresh Commerce emulator per run over loopback HTTP with ${context.latencyMs} ms per request; a run counts the source items the store then holds with the quantity sent.`,
        `Limit uses B = ${BATCH} and C = ${CONCURRENCY}: Adobe Commerce sets no batch cap on this endpoint by default and publishes no REST concurrency limit outside checkout, so both are our chosen settings.`,
        `Limits: runner and hand-written batches ${describeLimit(limit)} (B = ${BATCH}, C = ${CONCURRENCY}); the naive loop, which sends one update a request and one request at a time, ${describeLimit(naiveLimit)} for its ${naiveTotal} updates (B = 1, C = 1).`,
        `The hand-written batches send the same requests as the runner (same B and C) with a plain pool of ${CONCURRENCY} workers, so the gap between the two rows is what the runner costs or saves.`,
        `The naive loop is timed on ${naiveTotal} updates (all ${total.toLocaleString('en-US')} would take about ${Math.round((total * context.latencyMs) / 1000)} s of latency alone); its time is linear in N, so the comparison uses updates per second.`,
      ],
    };
  },
};
