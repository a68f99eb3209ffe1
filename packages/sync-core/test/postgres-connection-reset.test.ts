import { afterAll, describe, expect, it } from 'vitest';
import { postgresKeyValueStore } from '../src/postgres.js';
import { startFaultProxy } from './fault/tcp-proxy.js';
import { dropPostgresPrefix, postgresPool } from './support/postgres.js';
import { postgresConfig, serviceAvailable, services, uniquePrefix } from './support/services.js';

const postgres = await serviceAvailable('postgres');
const prefix = uniquePrefix('reset');
afterAll(async () => {
  if (!postgres) return;
  const pool = postgresPool(1);
  await dropPostgresPrefix(pool, prefix);
  await pool.end();
});

describe.skipIf(!postgres)('a PostgreSQL store whose connections are reset', () => {
  it('survives a reset of its idle and checked-out connections and reconnects', async () => {
    const proxy = await startFaultProxy(services.postgres);
    // The store owns this pool (options, not a pg.Pool), so it must listen for the pool's errors.
    const kv = postgresKeyValueStore(
      { ...postgresConfig, host: proxy.host, port: proxy.port, max: 3 },
      { prefix },
    );
    try {
      await kv.set('a', '1');
      await Promise.all([kv.get('a'), kv.get('a'), kv.get('a')]); // three idle connections
      expect(proxy.stats().live).toBeGreaterThan(0);
      // pg emits 'error' on each idle client whose socket resets; unheard, it ends the process
      // (vitest reports the uncaught error and fails this file).
      expect(proxy.cutAll()).toBeGreaterThan(0);
      // Let the resets reach the pooled sockets before the next query (a bounded pause, no
      // assertion on time).
      await new Promise((resolve) => setTimeout(resolve, 300));
      let value: string | undefined;
      for (let attempt = 0; attempt < 5 && value === undefined; attempt++) {
        value = await kv.get('a').catch(() => undefined);
      }
      expect(value).toBe('1');
      await kv.set('b', '2');
      expect(await kv.get('b')).toBe('2');
    } finally {
      await kv.close?.();
      await proxy.close();
    }
  });
});
