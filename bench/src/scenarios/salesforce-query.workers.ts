// Workers of scenario 3, each run in its own child process so its peak memory is its own.
import { query, queryPartitioned } from '@plumbline/crm-salesforce';
import jsforce from 'jsforce';
import { EXTERNAL_ID, SF_API_VERSION, SF_TOKEN, salesforceClient } from './salesforce-org.js';

export interface QueryWorkerInput {
  instanceUrl: string;
  soql: string;
  total: number;
}

/** Our iterator: one batch in hand at a time. */
export async function plumblineQuery(input: QueryWorkerInput): Promise<{ records: number }> {
  let records = 0;
  for await (const account of query<{ Name?: string }>(
    salesforceClient(input.instanceUrl),
    input.soql,
  )) {
    if (typeof account.Name === 'string') records++;
  }
  return { records };
}

/**
 * Ours, partitioned: Id ranges read in parallel (8 at once, the default without a limiter).
 * Counts a record only the first time its external id (EXT-n) is seen: a repeat is not counted.
 */
export async function plumblinePartitionedQuery(
  input: QueryWorkerInput,
): Promise<{ records: number }> {
  const seen = new Uint8Array(input.total);
  let records = 0;
  for await (const account of queryPartitioned<Record<string, unknown>>(
    salesforceClient(input.instanceUrl),
    input.soql,
  )) {
    const n = Number(String(account[EXTERNAL_ID]).slice(4));
    if (typeof account.Name === 'string' && n >= 0 && n < input.total && seen[n] === 0) {
      seen[n] = 1;
      records++;
    }
  }
  return { records };
}

function connection(instanceUrl: string) {
  return new jsforce.Connection({ instanceUrl, accessToken: SF_TOKEN, version: SF_API_VERSION });
}

/** jsforce's array form: autoFetch collects every record into result.records. */
export async function jsforceQueryArray(input: QueryWorkerInput): Promise<{ records: number }> {
  const result = await connection(input.instanceUrl).query<{ Name?: string }>(input.soql, {
    autoFetch: true,
    maxFetch: input.total,
  });
  return { records: result.records.filter((r) => typeof r.Name === 'string').length };
}

/** jsforce's record-event form: records are emitted one by one (the Query still keeps them all). */
export async function jsforceQueryEvents(input: QueryWorkerInput): Promise<{ records: number }> {
  let records = 0;
  await new Promise<void>((resolve, reject) => {
    connection(input.instanceUrl)
      .query<{ Name?: string }>(input.soql)
      .on('record', (record: { Name?: string }) => {
        if (typeof record.Name === 'string') records++;
      })
      .on('end', () => resolve())
      .on('error', reject)
      .run({ autoFetch: true, maxFetch: input.total });
  });
  return { records };
}

/** Loads the same modules and does nothing: the baseline every worker's memory sits on. */
export async function baseline(_input: QueryWorkerInput): Promise<{ records: number }> {
  return {
    records: typeof query === 'function' && typeof jsforce.Connection === 'function' ? 0 : -1,
  };
}
