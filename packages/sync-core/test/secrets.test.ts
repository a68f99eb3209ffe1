import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createQueue, StoreConfigError } from '../src/index.js';
import { mysqlQueueStore } from '../src/mysql.js';
import { postgresQueueStore } from '../src/postgres.js';
import { rabbitmqQueueStore } from '../src/rabbitmq.js';
import { redisQueueStore } from '../src/redis.js';
import { serviceAvailable, services } from './support/services.js';

// Connection passwords must never surface in an error message, its JSON or stack, or the console.
const SECRET = 'pw-SECRET-7f3a91';
const printed: string[] = [];

function captureConsole() {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
  }
}

afterEach(() => {
  vi.restoreAllMocks();
  printed.length = 0;
});

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

function expectNoSecret(error: unknown) {
  const text = [
    String(error),
    (error as Error).stack ?? '',
    inspect(error, { depth: 6, showHidden: true }),
    ...printed,
  ].join('\n');
  expect(text).not.toContain(SECRET);
}

describe('connection secrets stay out of errors and logs', () => {
  it('PostgreSQL: a refused connection with a password', async () => {
    captureConsole();
    const store = postgresQueueStore({
      host: '127.0.0.1',
      port: 1,
      user: 'sync',
      password: SECRET,
      database: 'nowhere',
      connectionTimeoutMillis: 1_000,
    });
    const error = await failure(() => createQueue(store, { name: 'q' }).stats());
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
    expectNoSecret(error);
    await store.close();
  });

  it('Redis: a refused connection with a password', async () => {
    captureConsole();
    const store = redisQueueStore({
      host: '127.0.0.1',
      port: 1,
      password: SECRET,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const error = await failure(() => createQueue(store, { name: 'q' }).stats());
    expectNoSecret(error);
    await store.close();
  });

  it('RabbitMQ: a login refused for a wrong password (or a refused connection)', async () => {
    captureConsole();
    const live = await serviceAvailable('rabbitmq');
    const port = live ? services.rabbitmq.port : 1;
    const store = rabbitmqQueueStore(`amqp://guest:${SECRET}@${services.rabbitmq.host}:${port}`);
    const error = await failure(() => createQueue(store, { name: 'q' }).enqueue({ n: 1 }));
    expectNoSecret(error);
    await store.close();
  });

  it('MySQL: a refused connection from a URL with a password', async () => {
    captureConsole();
    const store = mysqlQueueStore(`mysql://sync:${SECRET}@127.0.0.1:1/nowhere`);
    const error = await failure(() => createQueue(store, { name: 'q' }).stats());
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
    expectNoSecret(error);
    await store.close();
  });

  it('MySQL: a login refused for a wrong password (or a refused connection)', async () => {
    captureConsole();
    const live = await serviceAvailable('mysql');
    const store = mysqlQueueStore({
      host: services.mysql.host,
      port: live ? services.mysql.port : 1,
      user: 'plumbline_nobody',
      password: SECRET,
      database: 'test',
      connectTimeout: 2_000,
    });
    const error = await failure(() => createQueue(store, { name: 'q' }).stats());
    if (live) expect((error as { errno?: number }).errno).toBe(1045); // ER_ACCESS_DENIED_ERROR
    expectNoSecret(error);
    await store.close();
  });

  it('MySQL: a malformed URL is refused with a typed error that does not repeat it', () => {
    captureConsole();
    let error: unknown;
    try {
      mysqlQueueStore(`mysql://sync:${SECRET}@[bad-host/db`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreConfigError);
    expect((error as StoreConfigError).option).toBe('pool');
    expectNoSecret(error);
  });

  it('MySQL: a URL with a bad escape or a query it would drop is refused with a typed error', () => {
    captureConsole();
    for (const url of [
      `mysql://sync:${SECRET}%zz@127.0.0.1/db`, // decodeURIComponent threw a bare URIError
      `mysql://sync:${SECRET}@127.0.0.1/d%E0b`,
      // The query was ignored: `ssl` asked for TLS and the store connected without it.
      `mysql://sync:${SECRET}@127.0.0.1/db?ssl=true`,
    ]) {
      let error: unknown;
      try {
        mysqlQueueStore(url);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StoreConfigError);
      expect((error as StoreConfigError).option).toBe('pool');
      expectNoSecret(error);
    }
  });
});
