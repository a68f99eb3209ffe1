import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  contentHash,
  createConflictResolver,
  createReservations,
  lastWriterWins,
  memoryReservationStore,
  type ReservationStore,
  threeWayMerge,
} from '@plumbline/sync-core';
import { postgresReservationStore } from '@plumbline/sync-core/postgres';
import { redisReservationStore } from '@plumbline/sync-core/redis';
import { sqliteReservationStore } from '@plumbline/sync-core/sqlite';
import { benchPrefix, deleteRedisPrefix, dropPostgresPrefix } from '../harness/cleanup.js';
import { measure } from '../harness/measure.js';
import type { BenchContext, Scenario, ScenarioResult, VariantResult } from '../harness/scenario.js';
import { reachable, requireServices, services } from '../harness/services.js';

const CALLERS = 64;
const SKUS = 8;

function productRecord(i: number, updatedAt: string, qty: number): Record<string, unknown> {
  return {
    sku: `SKU-${String(i).padStart(6, '0')}`,
    name: `Bench product ${i}`,
    price: (i % 500) + 0.99,
    qty,
    status: i % 7 === 0 ? 'disabled' : 'enabled',
    weight: (i % 30) / 10,
    attributes: { color: ['red', 'green', 'blue'][i % 3], size: ['S', 'M', 'L', 'XL'][i % 4] },
    categories: [i % 11, i % 13, i % 17],
    updatedAt,
  };
}

/** Run `total` jobs with `concurrency` callers pulling from one counter. */
async function withCallers(
  total: number,
  concurrency: number,
  job: (i: number) => Promise<boolean>,
): Promise<number> {
  let next = 0;
  let ok = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        if (await job(next++)) ok++;
      }
    }),
  );
  return ok;
}

interface StoreCase {
  name: string;
  open(): Promise<ReservationStore & { close?(): Promise<void> }>;
  pairs: number;
}

export const syncCoreInProcess: Scenario = {
  id: 7,
  key: 'sync-core',
  title: 'sync-core in process: content hashes, three-way merges, reserve+confirm per store',
  async run(context: BenchContext): Promise<ScenarioResult> {
    const q = context.quick;
    const variants: VariantResult[] = [];
    const notes: string[] = [];
    const missing: string[] = [];

    // Content hashes of a typical 9-field product record (nested attributes and an array).
    const hashCount = q ? 2_000 : 100_000;
    const records = Array.from({ length: 1000 }, (_, i) =>
      productRecord(i, '2026-01-01T00:00:00Z', i % 100),
    );
    const hashes = new Set<string>();
    variants.push(
      await measure({
        name: 'contentHash(record)',
        expected: hashCount,
        runs: context.runs,
        log: context.log,
        prepare: () => hashes.clear(),
        run: async () => {
          let n = 0;
          for (let i = 0; i < hashCount; i++) {
            const h = contentHash(records[i % records.length]);
            if (i < records.length) hashes.add(h);
            n++;
          }
          // Every distinct record must hash differently; a broken hash would collapse them.
          return { records: hashes.size === Math.min(hashCount, records.length) ? n : 0 };
        },
      }),
    );

    // Three-way merges: both sides changed different fields against the base, one field on both.
    const mergeCount = q ? 1_000 : 30_000;
    const resolver = createConflictResolver({
      policy: threeWayMerge({ onBoth: lastWriterWins({ timestamp: 'updatedAt' }) }),
      now: () => 0,
    });
    const inputs = Array.from({ length: 1000 }, (_, i) => {
      const base = productRecord(i, '2026-01-01T00:00:00Z', 10);
      return {
        entity: 'product',
        key: String(base.sku),
        base,
        left: {
          system: 'erp',
          record: { ...base, qty: 7, price: 1.5, updatedAt: '2026-01-02T00:00:00Z' },
        },
        right: {
          system: 'commerce',
          record: { ...base, name: 'renamed', price: 2.5, updatedAt: '2026-01-03T00:00:00Z' },
        },
      };
    });
    variants.push(
      await measure({
        name: 'three-way merge (createConflictResolver + threeWayMerge)',
        expected: mergeCount,
        runs: context.runs,
        log: context.log,
        run: async () => {
          let correct = 0;
          for (let i = 0; i < mergeCount; i++) {
            const { merged } = await resolver.resolve(inputs[i % inputs.length]!);
            // qty from the ERP (changed there only), name from Commerce, price by the later write.
            if (merged.qty === 7 && merged.name === 'renamed' && merged.price === 2.5) correct++;
          }
          return { records: correct };
        },
      }),
    );

    // reserve + confirm with 64 concurrent callers on each store.
    const runTag = `${process.pid.toString(36)}${Date.now().toString(36)}`;
    // Tables and keys live under a prefix of this run's own, dropped when the scenario ends.
    const prefix = benchPrefix();
    const postgresUp = await reachable(services.postgres.host, services.postgres.port);
    const redisUp = await reachable(services.redis.host, services.redis.port);
    const dir = await mkdtemp(join(tmpdir(), 'plumbline-bench-'));
    const cases: StoreCase[] = [
      { name: 'memory', open: async () => memoryReservationStore(), pairs: q ? 400 : 5_000 },
      {
        name: 'SQLite (file, WAL)',
        open: async () => sqliteReservationStore(join(dir, 'reservations.db')),
        pairs: q ? 400 : 5_000,
      },
    ];
    if (postgresUp) {
      cases.push({
        name: 'PostgreSQL (pool of 16)',
        open: async () => postgresReservationStore({ ...services.postgres, max: 16 }, { prefix }),
        pairs: q ? 200 : 2_000,
      });
    } else missing.push(`PostgreSQL at ${services.postgres.host}:${services.postgres.port}`);
    if (redisUp) {
      cases.push({
        name: 'Redis',
        open: async () => redisReservationStore(services.redis, { prefix }),
        pairs: q ? 200 : 4_000,
      });
    } else missing.push(`Redis at ${services.redis.host}:${services.redis.port}`);

    try {
      for (const store of cases) {
        const opened = await store.open();
        try {
          const reservations = createReservations(opened);
          let round = 0;
          let skus: string[] = [];
          variants.push(
            await measure({
              name: `reserve + confirm, ${store.name}, ${CALLERS} callers`,
              expected: store.pairs,
              runs: context.runs,
              log: context.log,
              prepare: async () => {
                round++;
                skus = Array.from({ length: SKUS }, (_, s) => `bench-${runTag}-${round}-${s}`);
                for (const sku of skus) await reservations.setStock(sku, store.pairs / SKUS);
              },
              run: async () => {
                const confirmed = await withCallers(store.pairs, CALLERS, async (i) => {
                  const key = `${skus[0]}-hold-${i}`;
                  const result = await reservations.reserve({
                    sku: skus[i % SKUS]!,
                    qty: 1,
                    key,
                    ttlMs: 60_000,
                  });
                  if (!result.reserved) return false;
                  return (await reservations.confirm(key)).status === 'confirmed';
                });
                // Every unit was sold exactly once: stock is gone and nothing is still held.
                let left = 0;
                for (const sku of skus) left += (await reservations.level(sku)).stock;
                return { records: left === 0 ? confirmed : confirmed - left };
              },
            }),
          );
        } finally {
          await opened.close?.();
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
      if (postgresUp) await dropPostgresPrefix(prefix);
      if (redisUp) await deleteRedisPrefix(prefix);
    }

    if (missing.length > 0) {
      const message = `Not measured (service not reachable): ${missing.join(', ')}.`;
      if (requireServices) throw new Error(`${message} PLUMBLINE_REQUIRE_SERVICES=1 demands them.`);
      console.warn(`bench scenario 7: ${message}`);
      notes.push(message);
    }
    notes.push(
      `Reservations: ${CALLERS} concurrent callers each reserve 1 unit (unique idempotency key) and confirm it, over ${SKUS} SKUs whose stock equals the pairs; a run counts only if every unit ends confirmed and stock reaches 0.`,
      'Hashes and merges run on one core in a loop; "records/s" is hashes/s, merges/s or reserve+confirm pairs/s.',
    );
    const memoryStore = variants.find((v) => v.name.includes('memory'));
    return {
      id: this.id,
      key: this.key,
      title: this.title,
      variants,
      ratios: memoryStore
        ? [
            {
              label: 'content hashes per second',
              value: variants[0]!.perSecond,
              unit: '/s',
              headline: true,
            },
            { label: 'three-way merges per second', value: variants[1]!.perSecond, unit: '/s' },
          ]
        : [],
      notes,
    };
  },
};
