import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createQueue, memoryQueueStore } from '@plumbline/sync-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsole, nodeListener, SESSION_COOKIE } from '../src/index.js';
import { drain } from './support.js';

const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe('nodeListener', () => {
  it('serves the console over node:http: pages with the session cookie, and a replay POST', async () => {
    const queue = createQueue<{ order: string }>(memoryQueueStore(), {
      name: 'orders',
      maxAttempts: 1,
    });
    await queue.enqueue({ order: '<img src=x onerror=alert(1)>' });
    await drain(queue, () => {
      throw new Error('refused');
    });
    const handler = createConsole({
      basePath: '/ops',
      queues: { orders: queue },
      authorize: () => true,
    });
    const server = createServer(nodeListener(handler));
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ops`;
    const page = await fetch(`${base}/dead-letters`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const cookie = page.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(
      new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]+; Path=/ops; HttpOnly; SameSite=Strict$`),
    );
    const text = await page.text();
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const token = /name="csrf" value="([^"]+)"/.exec(text)![1]!;
    const id = /name="id" value="([^"]+)"/.exec(text)![1]!;
    const post = await fetch(`${base}/dead-letters/replay`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: cookie.split(';')[0]!,
        'content-type': 'application/x-www-form-urlencoded',
        origin: new URL(base).origin,
      },
      body: new URLSearchParams({ source: 'queue:orders', id, csrf: token }),
    });
    expect(post.status).toBe(303);
    expect(post.headers.get('location')).toBe(
      '/ops/dead-letters?notice=replayed&source=queue%3Aorders',
    );
    expect(await queue.stats()).toMatchObject({ ready: 1, dead: 0 });
    const css = await fetch(`${base}/style.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const tooBig = await fetch(`${base}/dead-letters/replay`, {
      method: 'POST',
      body: 'x'.repeat(100_000),
    });
    expect(tooBig.status).toBe(413);
  });
});
