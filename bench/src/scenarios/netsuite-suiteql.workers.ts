// Workers of scenario 4, each run in its own child process so its peak memory is its own.
import { oauth1Header } from '@plumbline/client-core';
import { suiteql, suiteqlRows, suiteqlRowsPartitioned } from '@plumbline/erp-netsuite';
import { NS_TBA, netSuiteClient } from './netsuite-account.js';

export interface ScanWorkerInput {
  accountId: string;
  baseUrl: string;
  q: string;
  /** Rows in the account (ids 1..total). */
  total: number;
  /** The account's SuiteQL paging cap (100,000; lower in quick runs). */
  maxRows: number;
}

export interface ScanWorkerOutput {
  records: number;
  /** Rows whose id was not the next one expected (order or duplicates). */
  misplaced: number;
  /** Why the scan stopped early, if it did. */
  stoppedBy?: string;
}

/** Ours: suiteqlRows, which continues past the 100,000-row window with a keyset. */
export async function plumblineScan(input: ScanWorkerInput): Promise<ScanWorkerOutput> {
  const client = netSuiteClient(input.accountId, input.baseUrl);
  let records = 0;
  let misplaced = 0;
  for await (const row of suiteqlRows<{ id: string }>(client, suiteql.raw(input.q), {
    maxRows: input.maxRows,
  })) {
    records++;
    if (Number(row.id) !== records) misplaced++;
  }
  return { records, misplaced };
}

/**
 * Ours, partitioned: id ranges read in parallel under the account's cap of 5, rows as they arrive.
 * Misplaced counts repeats and ids outside 1..total (order is not promised here).
 */
export async function plumblinePartitionedScan(input: ScanWorkerInput): Promise<ScanWorkerOutput> {
  return partitioned(input, false);
}

/** Ours, partitioned with `ordered: true`: rows in id order, each range reading ahead. */
export async function plumblinePartitionedOrderedScan(
  input: ScanWorkerInput,
): Promise<ScanWorkerOutput> {
  return partitioned(input, true);
}

async function partitioned(input: ScanWorkerInput, ordered: boolean): Promise<ScanWorkerOutput> {
  const client = netSuiteClient(input.accountId, input.baseUrl);
  const seen = new Uint8Array(input.total + 1);
  let records = 0;
  let misplaced = 0;
  for await (const row of suiteqlRowsPartitioned<{ id: string }>(client, suiteql.raw(input.q), {
    ordered,
  })) {
    records++;
    const id = Number(row.id);
    if (ordered ? id !== records : !(id >= 1 && id <= input.total) || seen[id] === 1) misplaced++;
    else seen[id] = 1;
  }
  return { records, misplaced };
}

/**
 * What people write by hand: POST suiteql?limit=1000&offset=… with a TBA header, collect the
 * items, add 1000 to the offset while hasMore. NetSuite refuses offsets past 100,000 rows.
 */
export async function handWrittenScan(input: ScanWorkerInput): Promise<ScanWorkerOutput> {
  const rows: { id: string }[] = [];
  let stoppedBy: string | undefined;
  for (let offset = 0; ; offset += 1000) {
    const url = `${input.baseUrl}/services/rest/query/v1/suiteql?limit=1000&offset=${offset}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: oauth1Header({
          consumerKey: NS_TBA.consumerKey,
          consumerSecret: NS_TBA.consumerSecret,
          token: NS_TBA.tokenId,
          tokenSecret: NS_TBA.tokenSecret,
          realm: input.accountId,
          method: 'POST',
          url,
        }),
        'content-type': 'application/json',
        prefer: 'transient',
      },
      body: JSON.stringify({ q: input.q }),
    });
    if (!response.ok) {
      stoppedBy = `HTTP ${response.status} at offset ${offset}`;
      await response.arrayBuffer();
      break;
    }
    const page = (await response.json()) as { items: { id: string }[]; hasMore: boolean };
    rows.push(...page.items);
    if (!page.hasMore) break;
  }
  let misplaced = 0;
  for (const [i, row] of rows.entries()) if (Number(row.id) !== i + 1) misplaced++;
  return { records: rows.length, misplaced, ...(stoppedBy ? { stoppedBy } : {}) };
}
