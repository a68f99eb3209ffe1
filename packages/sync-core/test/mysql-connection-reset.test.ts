import { afterAll, describe, expect, it } from 'vitest';
import { createIdempotency } from '../src/index.js';
import { mysqlIdempotencyStore, mysqlKeyValueStore } from '../src/mysql.js';
import { startFaultProxy } from './fault/tcp-proxy.js';
import { dropMysqlPrefix, mysqlPool } from './support/mysql.js';
import {
  mysqlConfig,
  serviceAvailable,
  services,
  uniquePrefix,
  until,
} from './support/services.js';

const mysql = await serviceAvailable('mysql');
const prefix = uniquePrefix('reset');
afterAll(async () => {
  if (!mysql) return;
  const pool = mysqlPool(1);
  await dropMysqlPrefix(pool, prefix);
  await pool.end();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!mysql)('a MySQL store whose connections are reset', () => {
  it('survives a reset of its idle and checked-out connections and reconnects', async () => {
    const proxy = await startFaultProxy(services.mysql);
    // The store owns this pool (options, not a Pool), so it must listen for its connections' errors.
    const options = { ...mysqlConfig, host: proxy.host, port: proxy.port, connectionLimit: 3 };
    const kv = mysqlKeyValueStore(options, { prefix });
    const idemStore = mysqlIdempotencyStore(options, { prefix });
    const idem = createIdempotency(idemStore);
    try {
      await kv.set('a', '1');
      await Promise.all([kv.get('a'), kv.get('a'), kv.get('a')]); // idle connections
      // A transaction open on a checked-out connection when the cut comes.
      let inside = false;
      const open = idem.runInTransaction('order-1', async (tx, context) => {
        await tx.execute('SELECT 1');
        inside = true;
        await until(() => context.signal.aborted, 5_000).catch(() => {});
        await tx.execute('SELECT 1'); // on a connection that is gone: rejects
        return 'never committed';
      });
      await until(() => inside);
      // Each socket reset makes mysql2 emit 'error' on its connection; unheard, that ends the
      // process (vitest reports the uncaught error and fails this file).
      expect(proxy.cutAll()).toBeGreaterThan(0);
      await expect(open).rejects.toThrow();
      // Let the resets reach the pooled sockets before the next statement (a bounded pause, no
      // assertion on time).
      await pause(300);
      let value: string | undefined;
      for (let attempt = 0; attempt < 5 && value === undefined; attempt++) {
        value = await kv.get('a').catch(() => undefined);
      }
      expect(value).toBe('1');
      await kv.set('b', '2');
      expect(await kv.get('b')).toBe('2');
      // Nothing of the cut transaction committed: the key runs again.
      expect(await idem.runInTransaction('order-1', async () => 'ran after the cut')).toBe(
        'ran after the cut',
      );
    } finally {
      await kv.close();
      await idemStore.close();
      await proxy.close();
    }
  });
});
