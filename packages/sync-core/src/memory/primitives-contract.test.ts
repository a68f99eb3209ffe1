import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCheckpointStore } from '../cursor/checkpoint-store.js';
import type { KeyValueStore } from '../kv.js';
import { memoryDeadLetter } from '../runner/dead-letter.js';
import { createRunner } from '../runner/runner.js';
import { sqliteKeyValueStore } from '../sqlite.js';
import { memoryKeyValueStore } from './kv.js';
import { primitivesOnKeyValueStore } from './primitives-contract.js';

describe('primitives on the memory KeyValueStore', () => {
  primitivesOnKeyValueStore(async () => memoryKeyValueStore());
});

describe('primitives on the SQLite KeyValueStore (one file, a new handle each time)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sync-core-primitives-'));
  const opened: KeyValueStore[] = [];
  let n = 0;
  afterAll(async () => {
    for (const store of opened) await store.close?.();
    rmSync(dir, { recursive: true, force: true });
  });
  primitivesOnKeyValueStore(async () => {
    n += 1;
    const store = sqliteKeyValueStore(join(dir, `kv-${n}.db`));
    opened.push(store);
    return store;
  });
});

describe('a runner on a SQLite checkpoint store', () => {
  it('resumes from the file after the process that ran it is gone, with nothing skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sync-core-runner-'));
    const file = join(dir, 'checkpoints.db');
    const rows = Array.from({ length: 500 }, (_, i) => ({ id: i, updatedAt: Math.floor(i / 9) }));
    const delivered: number[] = [];
    const runOnce = async (killAfter: number | undefined) => {
      const store = sqliteKeyValueStore(file); // a fresh handle, as a restarted process would open
      const controller = new AbortController();
      let batches = 0;
      const runner = createRunner<{ id: number; updatedAt: number }>({
        source: async function* ({ window }) {
          const since = window?.since?.getTime() ?? Number.NEGATIVE_INFINITY;
          yield rows.filter((row) => row.updatedAt >= since);
        },
        sink: async (batch, { signal }) => {
          batches += 1;
          if (batches === killAfter) {
            controller.abort(new Error('killed'));
            throw signal.reason;
          }
          delivered.push(...batch.map((row) => row.id));
        },
        batchSize: 40,
        concurrency: 2,
        cursor: { checkpoints: createCheckpointStore({ store }), name: 'rows' },
        deadLetter: memoryDeadLetter(),
      });
      const summary = await runner.run({ signal: controller.signal });
      await store.close();
      return summary;
    };
    try {
      expect((await runOnce(5)).status).toBe('aborted');
      expect(delivered.length).toBeLessThan(rows.length);
      expect((await runOnce(undefined)).status).toBe('completed');
      expect(new Set(delivered).size).toBe(rows.length);
      expect(delivered.length - rows.length).toBeLessThanOrEqual(2 * 40);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
