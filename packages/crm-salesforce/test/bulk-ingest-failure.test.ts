import { listen, type RunningServer } from '@plumbline/client-core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type BulkIngestResult,
  BulkJobError,
  bulkIngest,
  createSalesforceClient,
} from '../src/index.js';
import { createSalesforceEmulator } from '../src/testing.js';

/**
 * Bulk API 2.0 ingest against the emulator over loopback HTTP, behind a proxy that fails one
 * step of the job's life (upload, close, poll). Whatever fails, the job must not be left Open or
 * running: the client aborts it (PATCH state Aborted) and names it in the error.
 */
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

type Step = 'upload' | 'close' | 'poll';

function stepOf(request: Request, body: string): Step | 'create' | 'abort' | undefined {
  const path = new URL(request.url).pathname;
  if (!path.includes('/jobs/ingest')) return undefined;
  if (request.method === 'POST') return 'create';
  if (request.method === 'PUT' && path.endsWith('/batches')) return 'upload';
  if (request.method === 'PATCH') return body.includes('Aborted') ? 'abort' : 'close';
  if (request.method === 'GET' && /\/jobs\/ingest\/[^/]+$/.test(path)) return 'poll';
  return undefined;
}

async function rig(fail: (step: Step, request: Request) => Response | undefined) {
  const emulator = createSalesforceEmulator({ accessTokens: ['t'] });
  const seen: string[] = [];
  const server = await listen(async (request) => {
    const body = request.method === 'GET' ? '' : await request.clone().text();
    const step = stepOf(request, body);
    if (step) seen.push(step);
    if (step && step !== 'create' && step !== 'abort') {
      const injected = fail(step, request);
      if (injected) return injected;
    }
    return emulator.fetch(request);
  });
  servers.push(server);
  const client = createSalesforceClient({
    auth: { type: 'accessToken', accessToken: 't', instanceUrl: server.url },
    retry: false,
  });
  return { emulator, client, seen };
}

const serverError = () =>
  new Response(JSON.stringify([{ errorCode: 'UNKNOWN_EXCEPTION', message: 'boom' }]), {
    status: 500,
    headers: { 'content-type': 'application/json' },
  });

const rows = [{ Name: 'One' }, { Name: 'Two' }, { Name: 'Three' }];

async function ingest(
  client: ReturnType<typeof createSalesforceClient>,
  extra: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<BulkIngestResult[]> {
  const out: BulkIngestResult[] = [];
  for await (const r of bulkIngest(client, {
    object: 'Account',
    operation: 'insert',
    records: rows,
    poll: {
      initialDelayMs: 5,
      maxDelayMs: 10,
      ...(extra.timeoutMs ? { timeoutMs: extra.timeoutMs } : {}),
    },
    ...(extra.signal ? { signal: extra.signal } : {}),
  }))
    out.push(r);
  return out;
}

function expectAborted(
  error: unknown,
  emulator: ReturnType<typeof createSalesforceEmulator>,
  seen: string[],
  stage: string,
) {
  expect(error).toBeInstanceOf(BulkJobError);
  const e = error as BulkJobError;
  const jobs = [...emulator.state.ingestJobs.values()];
  expect(jobs).toHaveLength(1);
  const job = jobs[0]!;
  expect(e.jobId).toBe(job.info.id);
  expect(e.message).toContain(job.info.id);
  expect(e.stage).toBe(stage);
  expect(e.jobAborted).toBe(true);
  expect(job.info.state).toBe('Aborted');
  expect(seen.at(-1)).toBe('abort');
  expect(emulator.state.records('Account')).toHaveLength(0);
}

describe('bulkIngest() aborts the job when a step fails', () => {
  it('aborts the Open job and names it when the upload fails', async () => {
    const { emulator, client, seen } = await rig((step) =>
      step === 'upload' ? serverError() : undefined,
    );
    const error = await ingest(client).catch((e) => e);
    expectAborted(error, emulator, seen, 'upload');
    expect(error.cause).toMatchObject({ status: 500 });
  });

  it('aborts the Open job and names it when closing it (UploadComplete) fails', async () => {
    const { emulator, client, seen } = await rig((step) =>
      step === 'close' ? new Response('unavailable', { status: 503 }) : undefined,
    );
    const error = await ingest(client).catch((e) => e);
    expectAborted(error, emulator, seen, 'close');
    expect(emulator.state.ingestJobs.values().next().value?.uploads).toHaveLength(1);
  });

  it('aborts the closed job and names it when polling fails', async () => {
    const { emulator, client, seen } = await rig((step) =>
      step === 'poll' ? serverError() : undefined,
    );
    const error = await ingest(client).catch((e) => e);
    expectAborted(error, emulator, seen, 'poll');
  });

  it('aborts the job and names it when polling runs past poll.timeoutMs', async () => {
    // the org never finishes the job: every poll answers InProgress
    const { emulator, client, seen } = await rig((step, request) => {
      if (step !== 'poll') return undefined;
      const id = new URL(request.url).pathname.split('/').at(-1);
      return Response.json({ id, state: 'InProgress', object: 'Account', operation: 'insert' });
    });
    const error = await ingest(client, { timeoutMs: 60 }).catch((e) => e);
    expectAborted(error, emulator, seen, 'poll');
    expect(error.message).toMatch(/timeoutMs/);
  });

  it('aborts the job when the caller aborts while it is being polled', async () => {
    const controller = new AbortController();
    const { emulator, client, seen } = await rig((step, request) => {
      if (step !== 'poll') return undefined;
      controller.abort(new Error('caller gave up'));
      const id = new URL(request.url).pathname.split('/').at(-1);
      return Response.json({ id, state: 'InProgress', object: 'Account', operation: 'insert' });
    });
    const error = await ingest(client, { signal: controller.signal }).catch((e) => e);
    expectAborted(error, emulator, seen, 'poll');
  });

  it('says so when the abort itself fails, still naming the job', async () => {
    const emulator = createSalesforceEmulator({ accessTokens: ['t'] });
    const server = await listen(async (request) => {
      const body = request.method === 'GET' ? '' : await request.clone().text();
      const step = stepOf(request, body);
      if (step === 'upload' || step === 'abort') return serverError();
      return emulator.fetch(request);
    });
    servers.push(server);
    const client = createSalesforceClient({
      auth: { type: 'accessToken', accessToken: 't', instanceUrl: server.url },
      retry: false,
    });
    const error = await ingest(client).catch((e) => e);
    expect(error).toBeInstanceOf(BulkJobError);
    const job = [...emulator.state.ingestJobs.values()][0]!;
    expect(error.jobId).toBe(job.info.id);
    expect(error.jobAborted).toBe(false);
    expect(error.message).toContain(`could not be aborted`);
  });
});
