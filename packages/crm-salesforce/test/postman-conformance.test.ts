import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSalesforceEmulator } from '../src/testing.js';

/**
 * Salesforce's own Postman collection (read from ../shared/specs at test time, never copied) is
 * our sample of real request shapes: every request of the areas we cover must have a path and
 * method in spec/openapi.yaml, and the emulator must route it.
 */
const collection = fileURLToPath(
  new URL(
    '../../../../shared/specs/salesforce/postman-collection/exploded-83bd942/collections/salesforce_apis/',
    import.meta.url,
  ),
);
const present = existsSync(collection);
if (!present) {
  if (process.env.PLUMBLINE_REQUIRE_SERVICES === '1')
    throw new Error(`Postman collection missing at ${collection}`);
  console.warn(
    `[crm-salesforce] Postman collection not found at ${collection}; skipping the request-shape conformance test.`,
  );
}

const COVERED = [
  'bulk_v2/create_job',
  'bulk_v2/upload_job_data',
  'bulk_v2/close_or_abort_a_job',
  'bulk_v2/get_job_info',
  'bulk_v2/get_all_jobs',
  'bulk_v2/get_job_successful_record_results',
  'bulk_v2/get_job_failed_record_results',
  'bulk_v2/get_job_unprocessed_record_results',
  'bulk_v2/delete_job',
  'query/create_job_query',
  'query/get_job_info_query',
  'query/get_job_query_result',
  'query/abort_a_job_query',
  'query/delete_job_query',
  'composite/composite',
  'composite/sobject_collections_create',
  'rest/limit',
  'rest/query',
  'rest/queryall',
  'rest/sobject_create',
  'rest/sobject_describe',
  'rest/sobject_get_updated',
  'rest/sobject_get_deleted',
  'rest/sobject_rows',
  'rest/sobject_rows_update',
  'rest/sobject_rows_delete',
  'rest/sobject_rows_by_external_id',
  'auth/jwt_bearer_token_flow',
  'auth/refresh_token',
];

/** path -> methods, read from our spec (its layout: two-space path keys, four-space methods). */
function specPaths(): Map<string, Set<string>> {
  const text = readFileSync(new URL('../spec/openapi.yaml', import.meta.url), 'utf8');
  const paths = new Map<string, Set<string>>();
  let current: Set<string> | undefined;
  let inPaths = false;
  for (const line of text.split('\n')) {
    if (line === 'paths:') inPaths = true;
    else if (/^\S/.test(line)) inPaths = false;
    if (!inPaths) continue;
    const path = /^ {2}(\/\S*):$/.exec(line);
    if (path) {
      current = new Set();
      paths.set(path[1] as string, current);
      continue;
    }
    const method = /^ {4}(get|put|post|patch|delete):$/.exec(line);
    if (method && current) current.add((method[1] as string).toUpperCase());
  }
  return paths;
}

async function idOf(response: Response): Promise<{ id: string }> {
  return (await response.json()) as { id: string };
}

function matches(template: string, path: string): boolean {
  const t = template.split('/').filter(Boolean);
  const p = path.split('/').filter(Boolean);
  return t.length === p.length && t.every((seg, i) => seg.startsWith('{') || seg === p[i]);
}

describe.runIf(present)('request shapes from the Postman collection', () => {
  const spec = specPaths();
  const requests = COVERED.map((file) => ({
    ...JSON.parse(readFileSync(`${collection}${file}.json`, 'utf8')),
    name: file,
  }));

  it('every covered request has its path and method in spec/openapi.yaml', () => {
    const missing: string[] = [];
    for (const r of requests) {
      const path = new URL(
        String(r.url)
          .replace(/^\{\{[^}]+\}\}(\{\{[^}]+\}\})?/, 'https://x')
          .replace(/<[^>]+>|\{\{[^}]+\}\}/g, 'X'),
      ).pathname
        .replace(/^\/services\/data\/vX/, '')
        .replace(/\/$/, '');
      const entry = [...spec.entries()].find(
        ([template, methods]) => matches(template, path) && methods.has(r.method),
      );
      if (!entry) missing.push(`${r.name}: ${r.method} ${path}`);
    }
    expect(missing).toEqual([]);
  });

  it('the emulator routes them (no 404 for the route, no 405) with their own bodies', async () => {
    const emulator = createSalesforceEmulator({
      accessTokens: ['t'],
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
    const accountId = emulator.state.insert('Account', { Name: 'Postman', Ext__c: 'E1' });
    const call = async (
      method: string,
      path: string,
      body?: string,
      contentType = 'application/json',
    ) => {
      const init: RequestInit = {
        method,
        headers: { authorization: 'Bearer t', 'content-type': contentType },
      };
      if (body !== undefined) init.body = body;
      return emulator.fetch(
        new Request(`https://org.example.com/services/data/v62.0/${path}`, init),
      );
    };
    const ingest = await idOf(
      await call('POST', 'jobs/ingest', '{ "object":"Account", "operation":"insert" }'),
    );
    const queryJob = await idOf(
      await call(
        'POST',
        'jobs/query',
        JSON.stringify({ operation: 'query', query: 'SELECT name FROM Account' }),
      ),
    );
    const since = new Date(Date.now() - 3600_000).toISOString();
    const vars: Record<string, string> = { _jobId: ingest.id };
    const statuses: Record<string, number> = {};
    for (const r of requests) {
      if (r.name.startsWith('auth/')) continue;
      const isQueryJob = r.name.startsWith('query/');
      let path = String(r.url)
        .replace(/^\{\{_endpoint\}\}\/services\/data\/v\{\{version\}\}\//, '')
        .replace('{{_jobId}}', isQueryJob ? queryJob.id : (vars._jobId as string))
        .replace('<SOBJECT_API_NAME>', 'Account')
        .replace('<RECORD_ID>', accountId)
        .replace('<FIELD_NAME>', 'Ext__c')
        .replace('<FIELD_VALUE>', 'E1')
        .replace(
          'start=&end=',
          `start=${encodeURIComponent(since)}&end=${encodeURIComponent(new Date().toISOString())}`,
        );
      let body: string | undefined = r.rawModeData ?? undefined;
      if (r.name === 'bulk_v2/upload_job_data') body = 'Name\nFrom Postman\n';
      if (r.name === 'bulk_v2/close_or_abort_a_job') await call('GET', `jobs/ingest/${ingest.id}`);
      if (r.name === 'rest/sobject_rows_update') body = '{ "Name": "Renamed" }';
      if (r.name === 'rest/sobject_create') body = '{ "Name":"test" }';
      if (r.name === 'composite/composite')
        body = JSON.stringify({
          compositeRequest: [
            { method: 'GET', url: '/services/data/v62.0/limits', referenceId: 'l' },
          ],
        });
      if (r.name === 'composite/sobject_collections_create')
        body = JSON.stringify({ records: [{ attributes: { type: 'Account' }, Name: 'c' }] });
      if (r.name.endsWith('results') || r.name.endsWith('record_results')) {
        await call('GET', `jobs/ingest/${ingest.id}`);
        await call('GET', `jobs/ingest/${ingest.id}`);
      }
      if (r.name === 'query/get_job_query_result') {
        await call('GET', `jobs/query/${queryJob.id}`);
        await call('GET', `jobs/query/${queryJob.id}`);
      }
      if (r.name === 'rest/sobject_rows_delete')
        path = `sobjects/Account/${emulator.state.insert('Account', { Name: 'doomed' })}`;
      const response = await call(
        r.method,
        path,
        r.method === 'GET' || r.method === 'DELETE' ? undefined : body,
        r.name === 'bulk_v2/upload_job_data' ? 'text/csv' : 'application/json',
      );
      statuses[r.name] = response.status;
    }
    const refused = Object.entries(statuses).filter(
      ([, status]) => status === 404 || status === 405 || status >= 500,
    );
    expect(refused).toEqual([]);
    expect(statuses['rest/query']).toBe(200);
    expect(statuses['rest/sobject_rows_by_external_id']).toBe(200);
  });
});
