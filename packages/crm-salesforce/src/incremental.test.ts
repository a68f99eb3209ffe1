import { describe, expect, it } from 'vitest';
import { createSalesforceClient } from './client.js';
import { WindowOutOfReachError } from './errors.js';
import { getDeleted, getUpdated, modstampQuery } from './incremental.js';
import { createSalesforceEmulator } from './testing/emulator.js';

const DAY = 86_400_000;
const START = Date.parse('2024-06-01T00:00:00Z');

function setup(maxReplicationIds = 600_000) {
  let now = START;
  const emulator = createSalesforceEmulator({
    accessTokens: ['t'],
    now: () => now,
    maxReplicationIds,
  });
  const client = createSalesforceClient({
    auth: { type: 'accessToken', accessToken: 't', instanceUrl: 'https://org.example.com' },
    fetch: emulator.fetch,
  });
  return {
    emulator,
    client,
    setNow: (ms: number) => {
      now = ms;
    },
    now: () => now,
  };
}

describe('getUpdated / getDeleted', () => {
  it('returns the ids changed in a window and splits ranges that exceed the id limit', async () => {
    const { emulator, client, setNow, now } = setup(25);
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      setNow(START + i * 3 * 60_000); // one record every 3 minutes
      ids.push(emulator.state.insert('Account', { Name: `A${i}` }));
    }
    setNow(START + DAY);
    const result = await getUpdated(client, 'Account', {
      start: new Date(START),
      end: new Date(START + 10 * 3600_000),
      now,
    });
    expect(new Set(result.ids)).toEqual(new Set(ids));
    expect(result.windows).toBeGreaterThan(4);
    const later = await getUpdated(client, 'Account', {
      start: new Date(START + 30 * 60_000),
      end: new Date(START + 60 * 60_000),
      now,
    });
    expect(later.ids).toEqual(ids.slice(10, 21));
  });

  it('says clearly when a range is out of reach (30 days updated, 15 days deleted)', async () => {
    const { client, setNow, now } = setup();
    setNow(START + 40 * DAY);
    const error = await getUpdated(client, 'Account', { start: new Date(START), now }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(WindowOutOfReachError);
    expect(error.message).toMatch(/30 days/);
    expect(error.code).toBe('WINDOW_OUT_OF_REACH');
    const deleted = await getDeleted(client, 'Account', {
      start: new Date(START + 20 * DAY),
      now,
    }).catch((e) => e);
    expect(deleted).toBeInstanceOf(WindowOutOfReachError);
    expect(deleted.message).toMatch(/15 days/);
    await expect(
      getUpdated(client, 'Account', {
        start: new Date(START + 39 * DAY),
        end: new Date(START + 38 * DAY),
        now,
      }),
    ).rejects.toMatchObject({
      code: 'CONFIG_ERROR',
    });
  });

  it('lists deleted records in the window', async () => {
    const { emulator, client, setNow, now } = setup();
    const a = emulator.state.insert('Account', { Name: 'gone' });
    emulator.state.insert('Account', { Name: 'stays' });
    setNow(START + 3600_000);
    emulator.state.store.delete('Account', a);
    setNow(START + 2 * 3600_000);
    const result = await getDeleted(client, 'Account', { start: new Date(START), now });
    expect(result.deletedRecords.map((d) => d.id)).toEqual([a]);
    expect(result.earliestDateAvailable).toMatch(/^2024-05-/);
  });
});

describe('modstampQuery', () => {
  it('pages by (SystemModstamp, Id) without skipping or repeating records that share a stamp', async () => {
    const { emulator, client, setNow } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      setNow(START + Math.floor(i / 10) * 1000); // ten records per second share a stamp
      ids.push(emulator.state.insert('Account', { Name: `A${i}` }));
    }
    const seen: string[] = [];
    let last: { systemModstamp: string; id: string } | undefined;
    for await (const { record, cursor } of modstampQuery<{ Id: string; Name: string }>(client, {
      sobject: 'Account',
      fields: ['Name'],
      pageSize: 4,
    })) {
      seen.push(record.Id);
      last = cursor;
      if (seen.length === 13) break;
    }
    for await (const { record } of modstampQuery<{ Id: string }>(client, {
      sobject: 'Account',
      fields: ['Name'],
      pageSize: 4,
      ...(last ? { after: last } : {}),
    })) {
      seen.push(record.Id);
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen)).toEqual(new Set(ids));
    setNow(START + 10_000);
    emulator.state.store.update('Account', ids[0]!, { Name: 'changed' });
    const changed = [];
    for await (const { record } of modstampQuery<{ Id: string; Name: string }>(client, {
      sobject: 'Account',
      fields: ['Name'],
      ...(last ? { after: last } : {}),
    }))
      changed.push(record);
    expect(changed.map((r) => r.Name)).toContain('changed');
  });
});
