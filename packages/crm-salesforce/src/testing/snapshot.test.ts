import { describe, expect, it } from 'vitest';
import { createSalesforceClient } from '../client.js';
import { queryAll, upsert } from '../index.js';
import { createSalesforceEmulator, type SalesforceEmulatorOptions } from './emulator.js';
import { EmulatorSnapshotError } from './snapshot.js';

const MEMBER = {
  name: 'Member__c',
  fields: [
    {
      name: 'Code__c',
      type: 'string',
      externalId: true,
      unique: true,
      nillable: true,
      createable: true,
      updateable: true,
    },
    { name: 'Level__c', type: 'int', nillable: true, createable: true, updateable: true },
  ],
};
const options: SalesforceEmulatorOptions = {
  accessTokens: ['t'],
  objects: [MEMBER],
  seed: { Member__c: [{ Name: 'A', Code__c: 'A', Level__c: 1 }] },
};
const ORG = 'https://org.example.com';
type Emulator = ReturnType<typeof createSalesforceEmulator>;

const call = async (emulator: Emulator, method: string, path: string, payload?: unknown) => {
  const response = await emulator.fetch(
    new Request(`${ORG}/services/data/v62.0${path}`, {
      method,
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
    }),
  );
  const body = response.status === 204 ? null : ((await response.json()) as any);
  return { status: response.status, body };
};

const clientFor = (emulator: Emulator) =>
  createSalesforceClient({
    auth: { type: 'accessToken', accessToken: 't', instanceUrl: ORG },
    fetch: emulator.fetch,
  });

async function observe(emulator: Emulator, jobs: string[]) {
  const client = clientFor(emulator);
  return {
    live: await queryAll(client, 'SELECT Id, Code__c, Level__c FROM Member__c ORDER BY Code__c'),
    withDeleted: await queryAll(
      client,
      'SELECT Id, Code__c, IsDeleted FROM Member__c ORDER BY Code__c',
      { all: true },
    ),
    ingest: (await call(emulator, 'GET', `/jobs/ingest/${jobs[0]}`)).body,
    query: (await call(emulator, 'GET', `/jobs/query/${jobs[1]}`)).body,
  };
}

describe('Salesforce emulator snapshot', () => {
  it('restores records (also deleted ones), ids, Bulk API 2.0 jobs and sessions', async () => {
    const first = createSalesforceEmulator(options);
    const client = clientFor(first);
    await upsert(client, 'Member__c', 'Code__c', 'B', { Name: 'B', Level__c: 2 });
    await upsert(client, 'Member__c', 'Code__c', 'A', { Level__c: 5 });
    const c = await upsert(client, 'Member__c', 'Code__c', 'C', { Name: 'C', Level__c: 3 });
    expect((await call(first, 'DELETE', `/sobjects/Member__c/${c.id}`)).status).toBe(204);
    const ingest = await call(first, 'POST', '/jobs/ingest', {
      object: 'Member__c',
      operation: 'insert',
    });
    const queryJob = await call(first, 'POST', '/jobs/query', {
      operation: 'query',
      query: 'SELECT Code__c FROM Member__c',
    });
    const jobs = [ingest.body.id as string, queryJob.body.id as string];
    const before = await observe(first, jobs);
    expect(before.live.map((r) => r.Code__c)).toEqual(['A', 'B']);
    expect(before.withDeleted).toHaveLength(3);
    expect(before.ingest.state).toBe('Open');
    // The query job moves one state per status read and stamps systemModstamp when it completes;
    // finish it before the snapshot so the two emulators are not stamped a second apart.
    expect((await call(first, 'GET', `/jobs/query/${jobs[1]}`)).body.state).toBe('JobComplete');

    const text = JSON.stringify(first.snapshot());
    expect(text).not.toContain('"t"');
    const second = createSalesforceEmulator({ ...options, snapshot: JSON.parse(text) });
    expect(await observe(second, jobs)).toEqual(await observe(first, jobs));

    // The unique index is rebuilt: upserting an existing code updates, a new one gets the next id.
    expect(
      (await upsert(clientFor(second), 'Member__c', 'Code__c', 'B', { Level__c: 9 })).created,
    ).toBe(false);
    const next = async (e: Emulator) =>
      (await upsert(clientFor(e), 'Member__c', 'Code__c', 'D', { Name: 'D' })).id;
    expect(await next(second)).toBe(await next(first));
    // The open ingest job takes data and completes in the restored emulator.
    const csv = await second.fetch(
      new Request(`${ORG}/services/data/v62.0/jobs/ingest/${jobs[0]}/batches`, {
        method: 'PUT',
        headers: { authorization: 'Bearer t', 'content-type': 'text/csv' },
        body: 'Name,Code__c\nE,E\n',
      }),
    );
    expect(csv.status).toBe(201);
    await call(second, 'PATCH', `/jobs/ingest/${jobs[0]}`, { state: 'UploadComplete' });
    let state = '';
    for (let i = 0; i < 5 && state !== 'JobComplete'; i++) {
      state = (await call(second, 'GET', `/jobs/ingest/${jobs[0]}`)).body.state;
    }
    expect(state).toBe('JobComplete');
    expect(second.state.records('Member__c').map((r) => r.Code__c)).toContain('E');
  });

  it('keeps issued sessions only as digests, and they still work after a restore', async () => {
    const first = createSalesforceEmulator({
      ...options,
      clients: [{ clientId: 'app', clientSecret: 'app-secret' }],
    });
    const grant = await first.fetch(
      new Request(`${ORG}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=app&client_secret=app-secret',
      }),
    );
    const token = ((await grant.json()) as { access_token: string }).access_token;
    const text = JSON.stringify(first.snapshot());
    expect(text).not.toContain(token);
    const second = createSalesforceEmulator({ ...options, snapshot: JSON.parse(text) });
    const answer = await second.fetch(
      new Request(`${ORG}/services/data/v62.0/limits`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    expect(answer.status).toBe(200);
  });

  it('refuses another version or a malformed snapshot, naming the field', () => {
    const good = JSON.parse(JSON.stringify(createSalesforceEmulator(options).snapshot()));
    const attempt =
      (snapshot: unknown, objects = [MEMBER]) =>
      () =>
        createSalesforceEmulator({ objects, snapshot: snapshot as never });
    expect(attempt({ ...good, version: 2 })).toThrow(EmulatorSnapshotError);
    expect(attempt({ ...good, version: 2 })).toThrow(/version is 2/);
    expect(attempt({ ...good, emulator: 'netsuite' })).toThrow(/emulator is "netsuite"/);
    expect(attempt(good, [])).toThrow(/records.member__c is not an object of this emulator/i);
    expect(attempt({ ...good, counter: -1 })).toThrow(/counter must be a whole number/);
    expect(attempt({ ...good, records: { Account: [{}] } })).toThrow(/records.Account must/);
    expect(attempt({ ...good, ingestJobs: [{}] })).toThrow(/ingestJobs\[0\] must have/);
  });
});
