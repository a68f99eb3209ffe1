import createClient from 'openapi-fetch';
import { afterEach, describe, expect, it } from 'vitest';
import { bearerAuth, createTransport, HttpError, markIdempotent } from '../src/index.js';
import { jsonResponse, listen, type RunningServer } from '../src/testing.js';

interface paths {
  '/V1/orders/{id}': {
    get: {
      parameters: { path: { id: number } };
      responses: { 200: { content: { 'application/json': { id: number; status: string } } } };
    };
  };
  '/V1/orders': {
    post: {
      requestBody: { content: { 'application/json': { status: string } } };
      responses: { 201: { content: { 'application/json': { id: number } } } };
    };
  };
}

let server: RunningServer | undefined;
afterEach(async () => server?.close());

describe('createTransport as the fetch of openapi-fetch', () => {
  it('retries, authenticates and re-sends the JSON body of an idempotent POST', async () => {
    const hits: Array<{ path: string; auth: string | null; body: string }> = [];
    server = await listen(async (request) => {
      hits.push({
        path: new URL(request.url).pathname,
        auth: request.headers.get('authorization'),
        body: await request.text(),
      });
      if (hits.length % 2 === 1) return jsonResponse({ message: 'busy' }, { status: 503 });
      return request.method === 'POST'
        ? jsonResponse({ id: 7 }, { status: 201 })
        : jsonResponse({ id: 7, status: 'pending' });
    });
    const client = createClient<paths>({
      baseUrl: `${server.url}/rest`,
      fetch: createTransport({ auth: bearerAuth('integration-token'), retry: { minDelayMs: 1 } }),
    });
    const got = await client.GET('/V1/orders/{id}', { params: { path: { id: 7 } } });
    expect(got.data).toEqual({ id: 7, status: 'pending' });
    const created = await client.POST('/V1/orders', {
      body: { status: 'new' },
      headers: markIdempotent(),
    });
    expect(created.data).toEqual({ id: 7 });
    expect(hits.map((h) => h.path)).toEqual([
      '/rest/V1/orders/7',
      '/rest/V1/orders/7',
      '/rest/V1/orders',
      '/rest/V1/orders',
    ]);
    expect(hits[3]!.body).toBe('{"status":"new"}');
    expect(hits.every((h) => h.auth === 'Bearer integration-token')).toBe(true);
  });

  it('surfaces a final failure as HttpError from the client call', async () => {
    server = await listen(async () =>
      jsonResponse({ message: 'No such entity.' }, { status: 404 }),
    );
    const client = createClient<paths>({ baseUrl: server.url, fetch: createTransport() });
    await expect(client.GET('/V1/orders/{id}', { params: { path: { id: 1 } } })).rejects.toThrow(
      HttpError,
    );
  });
});
