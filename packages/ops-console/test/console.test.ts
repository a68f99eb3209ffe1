import {
  CircuitBreaker,
  createCheckpointStore,
  createDeadLetterList,
  createDeltaCursor,
  createQueue,
  defineOwnership,
  memoryConflictLog,
  memoryKeyValueStore,
  memoryQueueStore,
  type Queue,
  reconcile,
} from '@plumbline/sync-core';
import { describe, expect, it } from 'vitest';
import { ConsoleOptionError, createConsole, SECURITY_HEADERS } from '../src/index.js';
import { drain, ORIGIN, session } from './support.js';

const SCRIPT = '<script>globalThis.pwned = 1</script>';

/** A queue with `n` dead jobs (each fails permanently once); the first payload carries a script. */
async function queueWithDead(n: number): Promise<Queue<{ n: number; note: string }>> {
  const queue = createQueue<{ n: number; note: string }>(memoryQueueStore(), {
    name: 'orders',
    maxAttempts: 1,
  });
  for (let i = 0; i < n; i++)
    await queue.enqueue({ n: i, note: i === 0 ? SCRIPT : `order ${i}` }, { key: `k"${i}` });
  await drain(
    queue,
    () => {
      throw new Error('NetSuite has no item <b>LASER-1</b>');
    },
    { concurrency: 4 },
  );
  return queue;
}

describe('createConsole', () => {
  it('shows dead letters with payload, last error and attempts, every value escaped', async () => {
    const queue = await queueWithDead(1);
    const handler = createConsole({ queues: { orders: queue } });
    const { response, text } = await session(handler).page('/dead-letters');
    expect(response.status).toBe(200);
    expect(text).toContain('&lt;script&gt;globalThis.pwned = 1&lt;/script&gt;');
    expect(text).not.toContain('<script>');
    expect(text).toContain('NetSuite has no item &lt;b&gt;LASER-1&lt;/b&gt;');
    // The key is in an attribute-free cell; the id goes into data-id: quotes cannot break out.
    expect(text).toContain('key k&quot;0');
    expect(text).toMatch(/<td>1<\/td>/); // attempts
  });

  it('sends the security headers on every page, the stylesheet and errors', async () => {
    const handler = createConsole({});
    const s = session(handler);
    for (const path of ['/', '/dead-letters', '/style.css', '/nope', '/queues?x=1']) {
      const response = await handler(new Request(`${ORIGIN}${path}`));
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        if (name === 'cache-control' && path === '/style.css') continue;
        expect(response.headers.get(name), `${name} on ${path}`).toBe(value);
      }
    }
    expect(SECURITY_HEADERS['content-security-policy']).toContain(
      "default-src 'none'; style-src 'self'",
    );
    const { text } = await s.page('/');
    expect(text).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
  });

  it('is read-only without authorize: no action buttons, and a POST is refused with 403', async () => {
    const queue = await queueWithDead(1);
    const handler = createConsole({ queues: { orders: queue } });
    const s = session(handler);
    const { text } = await s.page('/dead-letters');
    expect(text).not.toContain('Replay</button>');
    const [dead] = await queue.deadLetters();
    const response = await s.post('/dead-letters/replay', {
      source: 'queue:orders',
      id: dead!.id,
      csrf: 'x',
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('read-only');
    expect((await queue.stats()).dead).toBe(1);
  });

  it('refuses an action when authorize says no, or the CSRF token is missing, wrong or of another session', async () => {
    const queue = await queueWithDead(1);
    let allow = true;
    const handler = createConsole({ queues: { orders: queue }, authorize: () => allow });
    const s = session(handler);
    const token = await s.token('/dead-letters');
    const [dead] = await queue.deadLetters();
    const fields = { source: 'queue:orders', id: dead!.id };
    expect((await s.post('/dead-letters/replay', fields)).status).toBe(403);
    expect(
      (await s.post('/dead-letters/replay', { ...fields, csrf: `${token.slice(1)}A` })).status,
    ).toBe(403);
    const other = session(handler);
    const otherToken = await other.token('/dead-letters');
    expect(otherToken).not.toBe(token);
    expect((await s.post('/dead-letters/replay', { ...fields, csrf: otherToken })).status).toBe(
      403,
    );
    // A token without its session cookie (a forged cross-site form) is refused too.
    const noCookie = await handler(
      new Request(`${ORIGIN}/dead-letters/replay`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
        body: new URLSearchParams({ ...fields, csrf: token }).toString(),
      }),
    );
    expect(noCookie.status).toBe(403);
    expect(
      (
        await s.post(
          '/dead-letters/replay',
          { ...fields, csrf: token },
          { origin: 'https://evil.example' },
        )
      ).status,
    ).toBe(403);
    allow = false;
    expect((await s.post('/dead-letters/replay', { ...fields, csrf: token })).status).toBe(403);
    expect((await queue.stats()).dead).toBe(1);
    allow = true;
    const ok = await s.post('/dead-letters/replay', { ...fields, csrf: token });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/dead-letters?notice=replayed&source=queue%3Aorders');
  });

  it('replay puts a dead job back in the queue and a worker completes it', async () => {
    const queue = await queueWithDead(2);
    const handler = createConsole({ queues: { orders: queue }, authorize: () => true });
    const s = session(handler);
    const token = await s.token('/dead-letters');
    const [first] = await queue.deadLetters();
    await s.post('/dead-letters/replay', { source: 'queue:orders', id: first!.id, csrf: token });
    expect(await queue.stats()).toMatchObject({ ready: 1, dead: 1 });
    const done: number[] = [];
    const summary = await drain(queue, (job) => {
      done.push(job.payload.n);
    });
    expect(summary.completed).toBe(1);
    expect(done).toEqual([first!.payload.n]);
    const { text } = await s.page('/dead-letters?notice=replayed');
    expect(text).toContain('Replayed.');
    expect(text.match(/data-id=/g)).toHaveLength(1);
  });

  it('discards a queue dead letter for good', async () => {
    const queue = await queueWithDead(2);
    const s = session(createConsole({ queues: { orders: queue }, authorize: () => true }));
    const token = await s.token('/dead-letters');
    const [first, second] = await queue.deadLetters();
    const response = await s.post('/dead-letters/discard', {
      source: 'queue:orders',
      id: first!.id,
      csrf: token,
    });
    expect(response.headers.get('location')).toContain('notice=discarded');
    expect((await queue.deadLetters()).map((d) => d.id)).toEqual([second!.id]);
    expect(await queue.stats()).toMatchObject({ ready: 0, dead: 1 });
    const again = await s.post('/dead-letters/discard', {
      source: 'queue:orders',
      id: first!.id,
      csrf: token,
    });
    expect(again.headers.get('location')).toContain('notice=not-found');
  });

  it('pages large lists: a bounded page, a next link, and a refused offset past the bound', async () => {
    const queue = await queueWithDead(60);
    const handler = createConsole({ queues: { orders: queue }, pageSize: 25 });
    const s = session(handler);
    const first = await s.page('/dead-letters?source=queue%3Aorders');
    expect(first.text.match(/data-id=/g)).toHaveLength(25);
    expect(first.text).toContain('offset=25');
    const last = await s.page('/dead-letters?source=queue%3Aorders&offset=50');
    expect(last.text.match(/data-id=/g)).toHaveLength(10);
    expect(last.text).not.toContain('rel="next"');
    const ids = new Set<string>();
    for (const offset of [0, 25, 50]) {
      const { text } = await s.page(`/dead-letters?source=queue%3Aorders&offset=${offset}`);
      for (const m of text.matchAll(/data-id="([^"]+)"/g)) ids.add(m[1]!);
    }
    expect(ids.size).toBe(60);
    const bad = await s.page('/dead-letters?offset=-1');
    expect(bad.response.status).toBe(400);
    expect(bad.text).toContain('offset must be a whole number');
    expect(() => createConsole({ pageSize: 500 })).toThrow(ConsoleOptionError);
  });

  it('lists a runner dead-letter list by cursor, replays through the host handler and discards', async () => {
    const list = createDeadLetterList<{ id: string; name: string }>({
      store: memoryKeyValueStore(),
      name: 'customers',
      key: (r) => r.id,
    });
    for (let i = 0; i < 30; i++)
      await list.park(
        { id: `c${String(i).padStart(2, '0')}`, name: i === 3 ? SCRIPT : 'x' },
        { stage: 'sink', message: 'refused' },
      );
    const written: string[] = [];
    const handler = createConsole({
      deadLetterLists: {
        customers: { list, replay: (r) => void written.push((r as { id: string }).id) },
      },
      authorize: () => true,
      pageSize: 20,
    });
    const s = session(handler);
    const first = await s.page('/dead-letters');
    expect(first.text.match(/<tr data-id=/g)).toHaveLength(20);
    expect(first.text).toContain('after=c19');
    expect(first.text).toContain('&lt;script&gt;');
    const second = await s.page('/dead-letters?source=list%3Acustomers&after=c19');
    expect(second.text.match(/<tr data-id=/g)).toHaveLength(10);
    const token = await s.token('/dead-letters');
    await s.post('/dead-letters/replay', { source: 'list:customers', id: 'c05', csrf: token });
    expect(written).toEqual(['c05']);
    expect(await list.get('c05')).toBeUndefined();
    const discarded = await s.post('/dead-letters/discard', {
      source: 'list:customers',
      id: 'c06',
      csrf: token,
    });
    expect(discarded.headers.get('location')).toContain('notice=discarded');
    expect(await list.get('c06')).toBeUndefined();
    expect(await list.get('c07')).toBeDefined();
  });

  it('filters the conflict log by entity, key, rule and time', async () => {
    const log = memoryConflictLog();
    const entry = (key: string, rule: string, at: string) => ({
      entity: 'customer',
      key,
      field: 'email',
      left: { system: 'commerce', value: `${key}@a.example` },
      right: { system: 'netsuite', value: SCRIPT },
      winner: 'commerce',
      value: `${key}@a.example`,
      rule,
      at,
    });
    await log.write(entry('C1', 'last-writer-wins', '2026-01-01T10:00:00.000Z'));
    await log.write(entry('C1', 'ownership', '2026-01-02T10:00:00.000Z'));
    await log.write(entry('C2', 'last-writer-wins', '2026-01-03T10:00:00.000Z'));
    await log.write({ ...entry('P1', 'ownership', '2026-01-03T10:00:00.000Z'), entity: 'product' });
    const s = session(createConsole({ conflicts: { log, entities: ['customer', 'product'] } }));
    const rows = async (query: string) => {
      const { text } = await s.page(`/conflicts?${query}`);
      return [...text.matchAll(/<tr>\n<td>([^<]+)<\/td><td>([^<]+)<\/td>/g)].map(
        (m) => `${m[2]}@${m[1]!.slice(0, 10)}`,
      );
    };
    expect(await rows('entity=customer')).toEqual([
      'C1@2026-01-01',
      'C1@2026-01-02',
      'C2@2026-01-03',
    ]);
    expect(await rows('entity=customer&key=C1')).toEqual(['C1@2026-01-01', 'C1@2026-01-02']);
    expect(await rows('entity=customer&rule=last-writer-wins')).toEqual([
      'C1@2026-01-01',
      'C2@2026-01-03',
    ]);
    expect(await rows('entity=customer&from=2026-01-02T00:00&to=2026-01-03T00:00')).toEqual([
      'C1@2026-01-02',
    ]);
    expect(await rows('entity=product')).toEqual(['P1@2026-01-03']);
    expect((await s.page('/conflicts?entity=orders')).response.status).toBe(400);
    expect((await s.page('/conflicts?from=yesterday')).response.status).toBe(400);
    expect((await s.page('/conflicts')).text).toContain('&lt;script&gt;');
  });

  it('shows the last reconciliation and re-drives one missing key, or all, as the report typed them', async () => {
    const report = await reconcile(
      [
        { id: 1, total: 5 },
        { id: 2, total: 7 },
        { id: 3, total: 9 },
        { id: 4, total: 1 },
      ],
      [
        { id: 1, total: 5 },
        { id: 4, total: 2 },
      ],
      { key: 'id' },
    );
    const redriven: unknown[][] = [];
    const handler = createConsole({
      reconciliation: {
        last: () => ({
          name: 'orders ↔ sales orders',
          at: new Date('2026-01-05T00:00:00Z'),
          report,
        }),
        redrive: async (keys) => void redriven.push(keys),
      },
      authorize: () => true,
    });
    const s = session(handler);
    const { text } = await s.page('/reconciliation');
    expect(text).toContain('orders ↔ sales orders');
    expect(text).toContain('Missing on the right (2)');
    expect(text).toContain('<strong>total</strong>: 1 ≠ 2');
    const token = await s.token('/reconciliation');
    await s.post('/reconciliation/redrive', { key: '3', csrf: token });
    await s.post('/reconciliation/redrive', { all: '1', csrf: token });
    const unknown = await s.post('/reconciliation/redrive', { key: '99', csrf: token });
    expect(unknown.headers.get('location')).toContain('notice=not-found');
    expect(redriven).toEqual([[3], [2, 3]]);
  });

  it('shows queue depth and the oldest ready job, runners’ cursor position, breakers, limiters and the ownership matrix', async () => {
    let clock = Date.parse('2026-02-01T00:00:00Z');
    const store = memoryQueueStore({ now: () => clock });
    const queue = createQueue(store, { name: 'q' });
    await queue.enqueue({ a: 1 });
    clock += 90_000;
    await queue.enqueue({ a: 2 });
    const kv = memoryKeyValueStore();
    const checkpoints = createCheckpointStore({ store: kv });
    const cursor = createDeltaCursor<{ id: string; updatedAt: Date }>().advance([
      { id: 'C-42', updatedAt: new Date('2026-01-31T12:00:00Z') },
    ]);
    await checkpoints.commit('customers', cursor);
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetMs: 60_000 }, () => clock);
    breaker.failure();
    const ownership = defineOwnership<{ customer: { email: string; name: string } }>()({
      systems: ['commerce', 'netsuite'] as const,
      entities: { customer: { default: 'netsuite', fields: { email: 'commerce' } } },
    });
    const handler = createConsole({
      queues: { q: queue },
      runners: {
        customers: {
          cursor: { checkpoints, name: 'customers' },
          progress: () => ({
            done: 7,
            failed: 1,
            skipped: 0,
            echoes: 2,
            refusedFields: 0,
            batches: 3,
            elapsedMs: 2000,
            rate: 3.5,
            total: 10,
          }),
        },
      },
      breakers: { netsuite: breaker },
      limiters: {
        salesforce: { limiter: { inFlight: () => 3 }, keys: ['acct-1'], maxConcurrent: 5 },
      },
      ownership,
      now: () => clock,
    });
    const s = session(handler);
    const queues = (await s.page('/queues')).text;
    expect(queues).toMatch(/<td>q<\/td><td>2<\/td><td>0<\/td><td>0<\/td>/);
    expect(queues).toContain('1 min 30 s');
    const runners = (await s.page('/runners')).text;
    expect(runners).toContain('7 of 10 done, 1 failed');
    expect(runners).toContain('2026-01-31T12:00:00.000Z · id <code>C-42</code>');
    const breakers = (await s.page('/breakers')).text;
    expect(breakers).toContain('<td class="state-open">open</td><td>2026-02-01T00:02:30.000Z</td>');
    expect(breakers).toContain('<td>salesforce</td><td>acct-1</td><td>3 / 5</td>');
    const matrix = (await s.page('/ownership')).text;
    expect(matrix).toContain('<table>');
    expect(matrix).toMatch(/customer.*email.*commerce/s);
  });

  it('serves under a base path only, and names a bad option', async () => {
    const handler = createConsole({ basePath: '/ops' });
    expect((await handler(new Request(`${ORIGIN}/ops/queues`))).status).toBe(200);
    expect((await handler(new Request(`${ORIGIN}/ops`))).status).toBe(200);
    expect((await handler(new Request(`${ORIGIN}/queues`))).status).toBe(404);
    expect((await handler(new Request(`${ORIGIN}/opsx`))).status).toBe(404);
    expect((await handler(new Request(`${ORIGIN}/ops/queues`, { method: 'PUT' }))).status).toBe(
      405,
    );
    const page = await (await handler(new Request(`${ORIGIN}/ops/`))).text();
    expect(page).toContain('href="/ops/style.css"');
    expect(() => createConsole({ basePath: 'ops/' })).toThrow(/basePath must look like \/ops/);
    expect(() => createConsole({ secret: 'short' })).toThrow(/secret must be at least 32 bytes/);
  });
});
