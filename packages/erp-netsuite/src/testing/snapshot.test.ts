import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createNetSuiteClient } from '../client.js';
import {
  asyncJobResult,
  createRecord,
  getRecord,
  getRecordByExternalId,
  submitAsync,
  suiteql,
  suiteqlRows,
  updateRecord,
  waitForJob,
} from '../index.js';
import { createNetSuiteEmulator, type NetSuiteEmulatorOptions } from './emulator.js';
import { EmulatorSnapshotError } from './snapshot.js';

const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = (key: { export(o: object): string | Buffer }, type: 'pkcs8' | 'spki') =>
  String(key.export({ type, format: 'pem' }));
const accountId = '1234567_SB1';
const options: NetSuiteEmulatorOptions = {
  accountId,
  m2m: { clientId: 'client', certificateId: 'cert', publicKey: pem(keys.publicKey, 'spki') },
};

type Emulator = ReturnType<typeof createNetSuiteEmulator>;

function clientFor(emulator: Emulator | { current: Emulator }, seen?: string[]) {
  return createNetSuiteClient({
    accountId,
    baseUrl: 'https://emulator.test',
    auth: {
      type: 'm2m',
      clientId: 'client',
      certificateId: 'cert',
      privateKey: pem(keys.privateKey, 'pkcs8'),
      algorithm: 'ES256',
    },
    retry: false,
    fetch: async (input: string | URL | Request, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      seen?.push(new URL(request.url).pathname);
      return ('current' in emulator ? emulator.current : emulator).fetch(request);
    },
  });
}

async function observe(client: ReturnType<typeof clientFor>, jobId: string) {
  const rows: unknown[] = [];
  for await (const row of suiteqlRows(
    client,
    suiteql`SELECT id, companyname, externalid FROM customer ORDER BY id`,
  ))
    rows.push(row);
  return {
    rows,
    acme: await getRecordByExternalId(client, 'customer', 'C-1'),
    second: await getRecord(client, 'customer', '2'),
    job: await asyncJobResult(client, jobId),
  };
}

describe('NetSuite emulator snapshot', () => {
  it('restores records, id counters, async jobs, idempotency keys and issued tokens', async () => {
    const first = createNetSuiteEmulator(options);
    first.state.insert('customer', [{ companyName: 'Acme', externalId: 'C-1' }]);
    const seen: string[] = [];
    const target = { current: first };
    const client = clientFor(target, seen);
    await createRecord(client, 'customer', { companyName: 'Globex', externalId: 'C-2' });
    await updateRecord(client, 'customer', '1', { companyName: 'Acme Corp' });
    const key = '3f1c9f3e-0d6a-4b8e-9a57-2f1e7c1d9b10';
    const job = await submitAsync(
      client,
      { method: 'POST', path: '/record/v1/customer', body: { companyName: 'Initech' } },
      { idempotencyKey: key },
    );
    await waitForJob(client, job.jobId);
    const before = await observe(client, job.jobId);
    expect(before.rows).toHaveLength(3);
    expect((before.acme as { companyName: string }).companyName).toBe('Acme Corp');

    const text = JSON.stringify(first.snapshot());
    const second = createNetSuiteEmulator({ ...options, snapshot: JSON.parse(text) });
    const tokens = () => seen.filter((p) => p.endsWith('/token')).length;
    const tokensBefore = tokens();
    // The same client, with the token it holds, keeps working against the restored emulator.
    target.current = second;
    const moved = client;
    expect(await observe(moved, job.jobId)).toEqual(before);
    expect(tokens()).toBe(tokensBefore);
    // A repeated idempotency key still points at the earlier job.
    const again = await submitAsync(
      moved,
      { method: 'POST', path: '/record/v1/customer', body: { companyName: 'Initech' } },
      { idempotencyKey: key },
    );
    expect(again).toMatchObject({ jobId: job.jobId, repeated: true });
    // Ids continue where they were in both.
    const next = async (e: ReturnType<typeof createNetSuiteEmulator>) =>
      (await createRecord(clientFor(e), 'customer', { companyName: 'Next' })).id;
    expect(await next(second)).toBe(await next(first));
    expect(tokensBefore).toBe(1);
    // No access token reaches the snapshot.
    const issued = [...text.matchAll(/ns-at-[0-9a-f]+/g)];
    expect(issued).toEqual([]);
  });

  it('refuses another version, another account or a malformed snapshot, naming the field', () => {
    const emulator = createNetSuiteEmulator(options);
    emulator.state.insert('customer', [{ companyName: 'Acme' }]);
    const good = JSON.parse(JSON.stringify(emulator.snapshot()));
    const attempt =
      (snapshot: unknown, accountId = '1234567_SB1') =>
      () =>
        createNetSuiteEmulator({ accountId, snapshot: snapshot as never });
    expect(attempt({ ...good, version: 2 })).toThrow(EmulatorSnapshotError);
    expect(attempt({ ...good, version: 2 })).toThrow(/version is 2/);
    expect(attempt(good, '999')).toThrow(/accountId is "1234567_SB1"/);
    expect(attempt({ ...good, emulator: 'salesforce' })).toThrow(/emulator is "salesforce"/);
    expect(attempt({ ...good, records: { widget: [] } })).toThrow(/records.widget is not/);
    expect(attempt({ ...good, records: { customer: [{}] } })).toThrow(/records.customer must/);
    expect(attempt({ ...good, jobs: [{}] })).toThrow(/jobs\[0\] must have/);
    expect(attempt({ ...good, randomDraws: -1 })).toThrow(/randomDraws must/);
  });
});
