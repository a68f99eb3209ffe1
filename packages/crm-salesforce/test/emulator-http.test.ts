import { generateKeyPairSync } from 'node:crypto';
import { RateLimitError } from '@plumbline/client-core';
import type { RunningServer } from '@plumbline/client-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collections,
  createSalesforceClient,
  query,
  queryAll,
  SalesforceApiError,
  soql,
  soqlLike,
  UpsertMultipleMatchesError,
  upsert,
} from '../src/index.js';
import { createSalesforceEmulator, type SalesforceEmulator } from '../src/testing.js';

const { publicKey, privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

const CUSTOMER = {
  name: 'Customer__c',
  fields: [
    {
      name: 'Customer_Number__c',
      type: 'string',
      length: 20,
      externalId: true,
      unique: true,
      nillable: true,
      createable: true,
      updateable: true,
    },
    { name: 'Email__c', type: 'email', nillable: false, createable: true, updateable: true },
    { name: 'Seq__c', type: 'int', nillable: true, createable: true, updateable: true },
  ],
};

let emulator: SalesforceEmulator;
let server: RunningServer;

beforeAll(async () => {
  emulator = createSalesforceEmulator({
    objects: [
      CUSTOMER,
      {
        name: 'Account',
        fields: [
          {
            name: 'Region__c',
            type: 'string',
            externalId: true,
            nillable: true,
            createable: true,
            updateable: true,
          },
        ],
      },
    ],
    clients: [
      { clientId: 'app', clientSecret: 'app-secret-value', refreshTokens: ['refresh-token-value'] },
    ],
    jwt: { clientId: 'jwt-app', publicKey, username: 'integration@example.com' },
  });
  server = await emulator.listen();
});

afterAll(async () => {
  await server.close();
});

const refreshClient = (extra: Record<string, unknown> = {}) =>
  createSalesforceClient({
    loginUrl: server.url,
    auth: {
      type: 'refreshToken',
      clientId: 'app',
      clientSecret: 'app-secret-value',
      refreshToken: 'refresh-token-value',
    },
    retry: false,
    ...extra,
  });

describe('over loopback HTTP', () => {
  it('iterates a 50,000-record query completely and in order across nextRecordsUrl pages', async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => ({
      Customer_Number__c: `C${String(i).padStart(6, '0')}`,
      Email__c: `c${i}@example.com`,
      Seq__c: i,
    }));
    for (const row of rows) emulator.state.insert('Customer__c', row);
    const client = refreshClient();
    const before = emulator.state.requests.length;
    let expected = 0;
    for await (const record of query<{ Seq__c: number; Customer_Number__c: string }>(
      client,
      'SELECT Customer_Number__c, Seq__c FROM Customer__c ORDER BY Seq__c',
    )) {
      expect(record.Seq__c).toBe(expected);
      expected++;
    }
    expect(expected).toBe(50_000);
    const pages = emulator.state.requests.slice(before).filter((r) => r.path.includes('/query'));
    expect(pages).toHaveLength(25); // 2000 per batch by default
    const small = [];
    for await (const r of query(client, 'SELECT Id FROM Customer__c WHERE Seq__c < 500', {
      batchSize: 200,
    }))
      small.push(r);
    expect(small).toHaveLength(500);
  }, 30_000);

  it('maps 1,000 collection upserts with 7 invalid records to 993 successes and 7 failures at their inputs', async () => {
    const client = refreshClient();
    const invalidAt = new Set([3, 150, 199, 200, 512, 777, 999]);
    const records = Array.from({ length: 1000 }, (_, i) => ({
      Customer_Number__c: `U${i}`,
      Email__c: invalidAt.has(i) ? 'not-an-email' : `u${i}@example.com`,
      Seq__c: 100_000 + i,
    }));
    const progress: number[] = [];
    const results = await collections(client, {
      operation: 'upsert',
      sobject: 'Customer__c',
      externalIdField: 'Customer_Number__c',
      records,
      concurrency: 3,
      onProgress: (p) => progress.push(p.done),
    });
    expect(progress.sort((a, b) => a - b)).toEqual([200, 400, 600, 800, 1000]);
    expect(results).toHaveLength(1000);
    expect(results.filter((r) => r.success)).toHaveLength(993);
    const failures = results.filter((r) => !r.success);
    expect(failures.map((f) => f.index)).toEqual([...invalidAt].sort((a, b) => a - b));
    for (const f of failures) {
      expect(f.success).toBe(false);
      if (!f.success)
        expect(f.errors[0]).toMatchObject({
          statusCode: 'INVALID_EMAIL_ADDRESS',
          fields: ['Email__c'],
        });
    }
    expect(results.map((r) => r.index)).toEqual(results.map((_, i) => i));
    const ok = results[0]!;
    expect(ok.success && ok.created).toBe(true);
    // the same upsert again updates
    const again = await collections(client, {
      operation: 'upsert',
      sobject: 'Customer__c',
      externalIdField: 'Customer_Number__c',
      records: records.slice(0, 2),
    });
    expect(again.map((r) => r.success && r.created)).toEqual([false, false]);
  }, 30_000);

  it('refreshes an expired session once for two concurrent callers', async () => {
    const client = refreshClient();
    const sessionCo = emulator.state.insert('Account', { Name: 'Session Co' });
    await queryAll(client, 'SELECT Id FROM Account LIMIT 1');
    const grantsBefore = emulator.state.tokenRequests.refresh_token ?? 0;
    emulator.state.expireSessions();
    const [a, b] = await Promise.all([
      queryAll<{ Id: string; Name: string }>(
        client,
        soql`SELECT Id, Name FROM Account WHERE Id = ${sessionCo}`,
      ),
      queryAll<{ Seq__c: number }>(client, 'SELECT Seq__c FROM Customer__c WHERE Seq__c = 0'),
    ]);
    // both callers got their real rows after the one refresh
    expect(a.map((r) => [r.Id, r.Name])).toEqual([[sessionCo, 'Session Co']]);
    expect(b.map((r) => r.Seq__c)).toEqual([0]);
    expect((emulator.state.tokenRequests.refresh_token ?? 0) - grantsBefore).toBe(1);
  });

  it('keeps a SOQL injection attempt as data', async () => {
    const client = refreshClient();
    emulator.state.insert('Account', { Name: "O'Reilly' OR Name != 'x" });
    emulator.state.insert('Account', { Name: 'Innocent' });
    const attack = "x' OR Name != 'x";
    const none = await queryAll(client, soql`SELECT Id, Name FROM Account WHERE Name = ${attack}`);
    expect(none).toEqual([]);
    const exact = await queryAll<{ Name: string }>(
      client,
      soql`SELECT Name FROM Account WHERE Name = ${"O'Reilly' OR Name != 'x"}`,
    );
    expect(exact.map((r) => r.Name)).toEqual(["O'Reilly' OR Name != 'x"]);
    const like = await queryAll(
      client,
      soql`SELECT Name FROM Account WHERE Name LIKE ${soqlLike('%')}`,
    );
    expect(like).toEqual([]);
  });

  it('matches a soqlLike value ending in a backslash: the backslash is data, the wildcard is not', async () => {
    const client = refreshClient();
    emulator.state.insert('Account', { Name: 'Share \\\\files\\docs' });
    emulator.state.insert('Account', { Name: 'Share \\%' });
    emulator.state.insert('Account', { Name: 'Share %' });
    const rows = await queryAll<{ Name: string }>(
      client,
      soql`SELECT Name FROM Account WHERE Name LIKE ${soqlLike('Share \\', 'startsWith')} ORDER BY Name`,
    );
    expect(rows.map((r) => r.Name)).toEqual(['Share \\%', 'Share \\\\files\\docs']);
  });

  it('upserts by external id with 201, 200 and a typed error for several matches', async () => {
    const client = refreshClient();
    const created = await upsert(client, 'Customer__c', 'Customer_Number__c', 'X-1', {
      Email__c: 'x@example.com',
    });
    expect(created.created).toBe(true);
    const updated = await upsert(client, 'Customer__c', 'Customer_Number__c', 'X-1', {
      Email__c: 'y@example.com',
    });
    expect(updated).toEqual({ id: created.id, created: false });
    emulator.state.insert('Account', { Name: 'one', Region__c: 'EMEA' });
    emulator.state.insert('Account', { Name: 'two', Region__c: 'EMEA' });
    const error = await upsert(client, 'Account', 'Region__c', 'EMEA', { Name: 'three' }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(UpsertMultipleMatchesError);
    expect(error.matches).toHaveLength(2);
    const missing = await upsert(client, 'Customer__c', 'Customer_Number__c', 'X-2', {
      Seq__c: 1,
    }).catch((e) => e);
    expect(missing).toBeInstanceOf(SalesforceApiError);
    expect(missing).toMatchObject({
      status: 400,
      errorCode: 'REQUIRED_FIELD_MISSING',
      fields: ['Email__c'],
    });
  });

  it('turns a bad query into a typed MALFORMED_QUERY error', async () => {
    const client = refreshClient();
    const error = await queryAll(client, 'SELECT Id FROM Account WHERE').catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.status).toBe(400);
  });

  it('logs in with the JWT bearer flow and calls the instance_url from the token response', async () => {
    const jwtEmulator = createSalesforceEmulator({
      jwt: { clientId: 'jwt-app', publicKey, username: 'integration@example.com' },
      instanceUrl: 'https://acme.my.salesforce.com',
    });
    const hosts: string[] = [];
    const client = createSalesforceClient({
      loginUrl: 'https://login.salesforce.com',
      auth: { type: 'jwt', clientId: 'jwt-app', username: 'integration@example.com', privateKey },
      fetch: async (request: Request) => {
        hosts.push(new URL(request.url).host);
        return jwtEmulator.fetch(request);
      },
    });
    jwtEmulator.state.insert('Account', { Name: 'Via JWT' });
    const rows = await queryAll(client, 'SELECT Name FROM Account');
    expect(rows).toHaveLength(1);
    expect(hosts).toEqual(['login.salesforce.com', 'acme.my.salesforce.com']);
    expect(await client.instanceUrl()).toBe('https://acme.my.salesforce.com');

    const wrongUser = createSalesforceClient({
      loginUrl: 'https://login.salesforce.com',
      auth: { type: 'jwt', clientId: 'jwt-app', username: 'someone@else.com', privateKey },
      fetch: jwtEmulator.fetch,
    });
    const error = await queryAll(wrongUser, 'SELECT Id FROM Account').catch((e) => e);
    expect(error.status).toBe(400);
    expect(String(error.message)).not.toContain('PRIVATE KEY');
  });

  it('supports client credentials and a given access token, and never leaks the secret', async () => {
    const cc = createSalesforceClient({
      loginUrl: server.url,
      auth: { type: 'clientCredentials', clientId: 'app', clientSecret: 'app-secret-value' },
    });
    expect(await queryAll(cc, 'SELECT Id FROM Account LIMIT 1')).toHaveLength(1);
    const bad = createSalesforceClient({
      loginUrl: server.url,
      auth: { type: 'clientCredentials', clientId: 'app', clientSecret: 'wrong-secret-value' },
    });
    const error = await queryAll(bad, 'SELECT Id FROM Account').catch((e) => e);
    expect(error.status).toBe(400);
    expect(JSON.stringify(error.toJSON()) + error.message).not.toContain('wrong-secret-value');

    const tokenEmulator = createSalesforceEmulator({ accessTokens: ['given-token'] });
    const tokenServer = await tokenEmulator.listen();
    try {
      const direct = createSalesforceClient({
        auth: { type: 'accessToken', accessToken: 'given-token', instanceUrl: tokenServer.url },
      });
      expect(await queryAll(direct, 'SELECT Id FROM Account')).toEqual([]);
      const expired = createSalesforceClient({
        auth: { type: 'accessToken', accessToken: 'other-token', instanceUrl: tokenServer.url },
      });
      const unauthorized = await queryAll(expired, 'SELECT Id FROM Account').catch((e) => e);
      expect(unauthorized).toMatchObject({ status: 401, errorCode: 'INVALID_SESSION_ID' });
      expect(JSON.stringify(unauthorized.toJSON()) + unauthorized.message).not.toContain(
        'other-token',
      );
    } finally {
      await tokenServer.close();
    }
  });

  it('reads Sforce-Limit-Info, rejects work over the threshold and maps REQUEST_LIMIT_EXCEEDED to RateLimitError', async () => {
    const limited = createSalesforceEmulator({ accessTokens: ['t'], dailyApiLimit: 10 });
    const client = createSalesforceClient({
      auth: { type: 'accessToken', accessToken: 't', instanceUrl: 'https://org.example.com' },
      fetch: limited.fetch,
      limits: { threshold: 0.5 },
    });
    await queryAll(client, 'SELECT Id FROM Account');
    expect(client.limits()).toMatchObject({ used: 1, max: 10, remaining: 9 });
    limited.state.apiUsage = 5;
    await queryAll(client, 'SELECT Id FROM Account');
    expect(client.limits()).toMatchObject({ used: 6, max: 10 });
    const rejected = await queryAll(client, 'SELECT Id FROM Account').catch((e) => e);
    expect(rejected.code).toBe('API_LIMIT_THRESHOLD');
    expect(limited.state.apiUsage).toBe(6); // nothing was sent

    const noGuard = createSalesforceClient({
      auth: { type: 'accessToken', accessToken: 't', instanceUrl: 'https://org.example.com' },
      fetch: limited.fetch,
    });
    limited.state.apiUsage = 10;
    const before = limited.state.requests.length;
    const error = await queryAll(noGuard, 'SELECT Id FROM Account').catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.vendorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(limited.state.requests.length - before).toBe(1); // not retried
  });

  it('pauses new work over the threshold until /limits shows room again', async () => {
    const limited = createSalesforceEmulator({ accessTokens: ['t'], dailyApiLimit: 100 });
    const client = createSalesforceClient({
      auth: { type: 'accessToken', accessToken: 't', instanceUrl: 'https://org.example.com' },
      fetch: limited.fetch,
      limits: { threshold: 0.9, action: 'pause', pauseMs: 20 },
    });
    limited.state.apiUsage = 95;
    await queryAll(client, 'SELECT Id FROM Account');
    let probes = 0;
    const pending = queryAll(client, 'SELECT Id FROM Account').then(() => 'done');
    const timer = setInterval(() => {
      probes++;
      if (probes === 3) limited.state.apiUsage = 10; // the daily window rolled over
    }, 20);
    await expect(pending).resolves.toBe('done');
    clearInterval(timer);
    expect(limited.state.requests.filter((r) => r.path.endsWith('/limits')).length).toBeGreaterThan(
      0,
    );
  });
});
