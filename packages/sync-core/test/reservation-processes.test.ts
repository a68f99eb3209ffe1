import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createReservations } from '../src/index.js';
import { sqliteReservationStore } from '../src/sqlite.js';
import { spawnWorker } from './support/child.js';
import { uniquePrefix } from './support/services.js';

const prefix = uniquePrefix('res');
const file = join(tmpdir(), `plumbline-${prefix}.db`);
afterAll(() => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
});

describe('SQLite reservations shared by several processes', () => {
  it('500 reserves from 4 processes racing for 100 units: exactly 100 win and confirm', async () => {
    const store = sqliteReservationStore(file, { prefix });
    const reservations = createReservations(store);
    await reservations.setStock('LAST-100', 100);
    const workers = [0, 1, 2, 3].map(() =>
      spawnWorker({
        mode: 'reserve',
        backend: 'sqlite',
        ledger: 'sqlite',
        prefix,
        queue: '',
        concurrency: 1,
        leaseMs: 0,
        lockMs: 0,
        jobMs: 0,
        sqliteFile: file,
        reserve: { sku: 'LAST-100', calls: 125, ttlMs: 60_000 },
      }),
    );
    for (const worker of workers) await worker.waitFor('armed');
    for (const worker of workers) worker.child.send({ type: 'go' });
    const won: string[] = [];
    for (const worker of workers) {
      expect((await worker.exited).code).toBe(0);
      won.push(...((worker.messages.find((m) => m.type === 'done')?.won as string[]) ?? []));
    }
    expect(won).toHaveLength(100);
    expect(new Set(won).size).toBe(100);
    // More than one process got units: the processes really raced for the file.
    expect(new Set(won.map((key) => key.split('-')[0])).size).toBeGreaterThan(1);
    for (const key of won) expect((await reservations.confirm(key)).status).toBe('confirmed');
    expect(await reservations.level('LAST-100')).toEqual({
      sku: 'LAST-100',
      stock: 0,
      held: 0,
      available: 0,
    });
    await store.close();
  }, 30_000);
});
