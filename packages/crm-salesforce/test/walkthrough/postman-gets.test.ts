import { existsSync } from 'node:fs';
import type { RunningServer } from '@plumbline/client-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceEmulator, type SalesforceEmulator } from '../../src/testing.js';
import { NOT_SERVED } from './not-served.js';
import {
  COLLECTION_DIR,
  collectionVariables,
  FIRST_VERSION,
  fillUrl,
  firstVersionVariables,
  type PostmanRequest,
  readFirstVersion,
  readRequests,
} from './postman-collection.js';
import {
  type Answer,
  FIRST_VERSION_SERVED,
  obj,
  SERVED,
  type Step,
  type World,
} from './served-steps.js';

/**
 * Salesforce's public Postman collection, replayed against the emulator: every GET request of
 * the collection is either replayed here over real HTTP (plain fetch, the collection's URL
 * templates and variables filled in, not our client) and its answer checked against the shape
 * Salesforce documents, or named in NOT_SERVED with the reason. A request the collection gains
 * or loses fails the first test, so nothing drops out silently.
 */

const present = existsSync(COLLECTION_DIR);
if (!present) {
  if (process.env.PLUMBLINE_REQUIRE_SERVICES === '1')
    throw new Error(`Postman collection missing at ${COLLECTION_DIR}`);
  console.warn(
    `[crm-salesforce] Postman collection not found at ${COLLECTION_DIR}; skipping the walkthrough.`,
  );
}

describe.runIf(present)("Salesforce's Postman collection: every GET, replayed over HTTP", () => {
  const requests = present
    ? [...readRequests(), ...readFirstVersion()].filter((r) => r.method === 'GET')
    : [];
  const variables = present ? collectionVariables() : {};
  const firstVariables = present ? firstVersionVariables() : {};
  const served: Record<string, Step> = {
    ...SERVED,
    ...Object.fromEntries(
      Object.entries(FIRST_VERSION_SERVED).map(([name, later]) => [name, SERVED[later] as Step]),
    ),
  };
  /** The variables a request is replayed with: its own collection's, pointed at the emulator. */
  const variablesOf = (request: PostmanRequest, step?: Step): Record<string, string> =>
    request.name.startsWith(`${FIRST_VERSION}/`)
      ? {
          ...firstVariables,
          endpoint: server.url,
          url: server.url,
          site: '',
          jobId: world.ingestJobId,
          ...(step?.variables?.(world) ?? {}),
        }
      : {
          ...variables,
          _endpoint: server.url,
          url: server.url,
          site: '',
          _jobId: world.ingestJobId,
          ...(step?.variables?.(world) ?? {}),
        };
  const notServed = new Map(
    Object.entries(NOT_SERVED).flatMap(([reason, names]) => names.map((n) => [n, reason])),
  );
  let emulator: SalesforceEmulator;
  let server: RunningServer;
  let world: World;

  const call = async (method: string, url: string, body?: string, contentType?: string) => {
    const init: RequestInit = {
      method,
      headers: {
        authorization: 'Bearer walkthrough-token',
        ...(contentType ? { 'content-type': contentType } : {}),
      },
    };
    if (body !== undefined) init.body = body;
    return fetch(url, init);
  };

  /** Polls a Bulk job (a few reads at most: each read advances the emulator's job). */
  const untilComplete = async (url: string) => {
    for (let i = 0; i < 10; i++) {
      const job = (await (await call('GET', url)).json()) as { state: string };
      if (job.state === 'JobComplete') return;
    }
    throw new Error(`job ${url} did not complete`);
  };

  beforeAll(async () => {
    emulator = createSalesforceEmulator({
      accessTokens: ['walkthrough-token'],
      objects: [
        {
          name: 'Account',
          fields: [
            {
              name: 'Ext__c',
              type: 'string',
              externalId: true,
              nillable: true,
              createable: true,
              updateable: true,
            },
          ],
        },
      ],
    });
    server = await emulator.listen();
    const version = variables.version as string;
    const base = `${server.url}/services/data/v${version}`;
    const id1 = emulator.state.insert('Account', { Name: 'Acme', Ext__c: 'E1' });
    const id2 = emulator.state.insert('Account', { Name: 'Global Media' });
    const doomed = emulator.state.insert('Account', { Name: 'Doomed' });
    expect((await call('DELETE', `${base}/sobjects/Account/${doomed}`)).status).toBe(204);
    // an id with Account's prefix that names no record
    const missingId = `${id1.slice(0, 3)}${'9'.repeat(12)}AAA`;
    world = {
      version,
      ids: [id1, id2],
      deletedId: doomed,
      missingId,
      live: 0,
      ownerId: emulator.state.store.defaultUserId,
      ingestJobId: '',
      queryJobId: '',
      window: {
        start: new Date(Date.now() - 3600_000).toISOString(),
        end: new Date(Date.now() + 3600_000).toISOString(),
      },
    };

    // an ingest job with one row that fails, run to completion
    const ingest = (await (
      await call(
        'POST',
        `${base}/jobs/ingest`,
        JSON.stringify({ object: 'Account', operation: 'insert' }),
        'application/json',
      )
    ).json()) as { id: string };
    world.ingestJobId = ingest.id;
    await call(
      'PUT',
      `${base}/jobs/ingest/${ingest.id}/batches`,
      'Name\nBulk one\n""\n',
      'text/csv',
    );
    await call(
      'PATCH',
      `${base}/jobs/ingest/${ingest.id}`,
      JSON.stringify({ state: 'UploadComplete' }),
      'application/json',
    );
    await untilComplete(`${base}/jobs/ingest/${ingest.id}`);
    const queryJob = (await (
      await call(
        'POST',
        `${base}/jobs/query`,
        JSON.stringify({
          operation: 'query',
          query: `SELECT Id, Name FROM Account WHERE Id IN ('${id1}','${id2}')`,
        }),
        'application/json',
      )
    ).json()) as { id: string };
    world.queryJobId = queryJob.id;
    await untilComplete(`${base}/jobs/query/${queryJob.id}`);
    world.live = emulator.state.records('Account').length;
    expect(world.live).toBe(3);
  });

  afterAll(async () => {
    await server?.close();
  });

  const replay = async (request: PostmanRequest, step?: Step): Promise<Answer> => {
    const url = fillUrl(
      request,
      variablesOf(request, step),
      {
        SOBJECT_API_NAME: 'Account',
        RECORD_ID: world.ids[0],
        RECORD_IDS: world.ids.join(','),
        FIELD_NAME: 'Ext__c',
        FIELD_VALUE: 'E1',
        RELATIONSHIP_FIELD_NAME: 'Owner',
        ID: emulator.state.store.defaultUserId,
        USER_ID: emulator.state.store.defaultUserId,
      },
      step?.params?.(world) ?? {},
    );
    const response = await call('GET', url);
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      contentType,
      headers: response.headers,
      text,
      json: contentType.includes('json') && text ? JSON.parse(text) : undefined,
    };
  };

  it('lists every GET of the collection as replayed or as not served, and nothing else', () => {
    const names = requests.map((r) => r.name);
    expect(names.length).toBeGreaterThan(100);
    expect(names.filter((n) => n.startsWith(`${FIRST_VERSION}/`)).length).toBeGreaterThan(10);
    const unlisted = names.filter((n) => !(n in served) && !notServed.has(n));
    const stale = [...Object.keys(served), ...notServed.keys()].filter((n) => !names.includes(n));
    const both = Object.keys(served).filter((n) => notServed.has(n));
    expect({ unlisted, stale, both }).toEqual({ unlisted: [], stale: [], both: [] });
  });

  for (const [name, step] of Object.entries(served)) {
    it(`${name} answers as documented (${step.doc})`, async () => {
      const request = requests.find((r) => r.name === name) as PostmanRequest;
      const answer = await replay(request, step);
      expect([404, 405, 501], `${name} answered ${answer.status}: ${answer.text}`).not.toContain(
        answer.status,
      );
      step.check(answer, { ...world, version: variablesOf(request).version as string });
    });
  }

  it('refuses each request it does not serve with an error body, never with made-up data', async () => {
    const answered: string[] = [];
    for (const request of requests.filter((r) => notServed.has(r.name))) {
      const answer = await replay(request);
      const errorBody =
        Array.isArray(answer.json) &&
        answer.json.every((e) => typeof obj(e).errorCode === 'string');
      if (answer.status < 400 || !errorBody) answered.push(`${request.name}: ${answer.status}`);
    }
    expect(answered).toEqual([]);
  });
});
