import { listen, type RunningServer } from '@plumbline/client-core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CollectionsHaltedError,
  collections,
  createSalesforceClient,
  SalesforceResponseError,
} from '../src/index.js';
import { createSalesforceEmulator, type SalesforceEmulator } from '../src/testing.js';

/**
 * The emulator served over loopback HTTP behind a proxy that can answer a chosen collections
 * request itself (an injected 500, a short result list) and counts what reaches the emulator.
 */
interface Rig {
  emulator: SalesforceEmulator;
  server: RunningServer;
  /** collections requests that reached the proxy, in arrival order */
  arrivals: number;
  inFlight: number;
}

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function rig(
  inject: (n: number, request: Request, forward: () => Promise<Response>) => Promise<Response>,
): Promise<Rig> {
  const emulator = createSalesforceEmulator({ accessTokens: ['t'] });
  const state = { arrivals: 0, inFlight: 0 };
  const server = await listen(async (request) => {
    if (!new URL(request.url).pathname.includes('/composite/sobjects')) {
      return emulator.fetch(request);
    }
    const n = ++state.arrivals;
    state.inFlight++;
    try {
      // requests that reach the org take a little while, so they overlap as they do in
      // production; an injected answer comes at once
      return await inject(n, request, async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return emulator.fetch(request);
      });
    } finally {
      state.inFlight--;
    }
  });
  servers.push(server);
  return Object.defineProperties({ emulator, server } as Rig, {
    arrivals: { get: () => state.arrivals },
    inFlight: { get: () => state.inFlight },
  });
}

const client = (r: Rig) =>
  createSalesforceClient({
    auth: { type: 'accessToken', accessToken: 't', instanceUrl: r.server.url },
    retry: false,
  });

const accounts = (n: number) => Array.from({ length: n }, (_, i) => ({ Name: `Acct ${i}` }));

/** Waits until nothing is in flight at the proxy and nothing new arrived for `quietMs`. */
async function settled(r: Rig, quietMs = 300): Promise<void> {
  let seen = -1;
  for (let i = 0; i < 50; i++) {
    if (r.inFlight === 0 && r.arrivals === seen) return;
    seen = r.arrivals;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

describe('collections() under a fatal error, over loopback HTTP', () => {
  it('stops dispatching after an injected 500, waits for requests in flight, and reports every written id', async () => {
    const r = await rig(async (n, _request, forward) =>
      n === 2
        ? new Response(
            JSON.stringify([{ errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error' }]),
            { status: 500, headers: { 'content-type': 'application/json' } },
          )
        : forward(),
    );
    const records = accounts(1000);
    const error = await collections(client(r), {
      operation: 'create',
      sobject: 'Account',
      records,
      concurrency: 2,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(CollectionsHaltedError);
    expect(error.code).toBe('COLLECTIONS_HALTED');
    const arrivalsAtThrow = r.arrivals;
    await settled(r);
    // nothing was dispatched after the call threw
    expect(r.arrivals).toBe(arrivalsAtThrow);

    const halted = error as CollectionsHaltedError;
    const written = halted.outcomes.filter((o) => o?.success === true);
    const stored = r.emulator.state.records('Account');
    // every record in the org is one the caller was told about, with its id
    expect(stored.map((s) => s.Id).sort()).toEqual(
      written.map((o) => (o?.success ? o.id : '')).sort(),
    );
    for (const o of written) {
      if (!o?.success) continue;
      const row = stored.find((s) => s.Id === o.id);
      expect(row?.Name).toBe(records[o.index]?.Name);
    }
    // request 1 (records 0-199) was in flight with request 2 and was answered
    expect(written.map((o) => o?.index)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    // request 2 failed without an answer: its records' fate is unknown, the rest never left
    expect(halted.unanswered).toEqual(Array.from({ length: 200 }, (_, i) => 200 + i));
    expect(halted.notSent).toEqual(Array.from({ length: 600 }, (_, i) => 400 + i));
    expect(halted.cause).toMatchObject({ status: 500, errorCode: 'UNKNOWN_EXCEPTION' });
  });

  it('resumes from the error without duplicates: send notSent and the unanswered, keep the ids', async () => {
    let failed = false;
    const r = await rig(async (n, _request, forward) => {
      if (n === 3 && !failed) {
        failed = true;
        return new Response('upstream unavailable', { status: 503 });
      }
      return forward();
    });
    const records = accounts(1000);
    const ids: (string | undefined)[] = new Array(records.length);
    const halted = (await collections(client(r), {
      operation: 'create',
      sobject: 'Account',
      records,
      concurrency: 2,
    }).catch((e) => e)) as CollectionsHaltedError;
    expect(halted).toBeInstanceOf(CollectionsHaltedError);
    for (const o of halted.outcomes) if (o?.success) ids[o.index] = o.id;
    // a 503 answer carries no results: the emulator wrote none of that request, so it is safe
    // to resend; in production check the unanswered records first (README recipe)
    const resend = [...halted.unanswered, ...halted.notSent];
    const rest = await collections(client(r), {
      operation: 'create',
      sobject: 'Account',
      records: resend.map((i) => records[i] as { Name: string }),
    });
    rest.forEach((o, k) => {
      if (o.success) ids[resend[k] as number] = o.id;
    });
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    const stored = r.emulator.state.records('Account');
    expect(stored).toHaveLength(1000);
    expect(new Set(stored.map((s) => s.Name)).size).toBe(1000);
  });

  it('treats a result list of the wrong length as a vendor error, not a ConfigError', async () => {
    const r = await rig(async (n, _request, forward) => {
      const response = await forward();
      if (n !== 1) return response;
      const results = (await response.json()) as unknown[];
      return new Response(JSON.stringify(results.slice(1)), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    });
    const error = await collections(client(r), {
      operation: 'create',
      sobject: 'Account',
      records: accounts(10),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(CollectionsHaltedError);
    expect(error.cause).toBeInstanceOf(SalesforceResponseError);
    expect(error.cause.code).toBe('SALESFORCE_UNEXPECTED_RESPONSE');
    expect(error.cause.message).toContain('9 results for 10 records');
    // the request was answered, but the answer cannot be tied to inputs: all ten are unknown
    expect(error.unanswered).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('refuses a malformed record before sending anything', async () => {
    const r = await rig(async (_n, _request, forward) => forward());
    const records: Array<Record<string, unknown> | string> = accounts(450);
    records[420] = 'not a record';
    const error = await collections(client(r), {
      operation: 'create',
      sobject: 'Account',
      records,
    }).catch((e) => e);
    expect(error.code).toBe('CONFIG_ERROR');
    expect(error.message).toContain('records[420]');
    expect(r.arrivals).toBe(0);
  });
});
