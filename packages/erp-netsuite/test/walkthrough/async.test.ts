import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idFromLocation, openPlainSession, type PlainSession } from './plain-http.js';

// Oracle's asynchronous request examples ("REST Web Services Request Processing" and its
// subsections), replayed over loopback HTTP: submit with Prefer: respond-async, read the job,
// its task list, the task, and the task's result.

describe("walkthrough: Oracle's asynchronous request examples", () => {
  let ns: PlainSession;
  let customerId: string;
  beforeAll(async () => {
    // The emulator's default: a job's first read shows it pending, the next one completed.
    ns = await openPlainSession();
    const created = await ns.send('POST', '/record/v1/customer', {
      body: {
        companyName: 'Glenrock General Hospital',
        email: 'alan.smith@example.com',
        entityStatus: { id: '13', refName: 'CUSTOMER-Closed Won' },
      },
    });
    customerId = idFromLocation(created.headers.get('location'));
  });
  afterAll(() => ns.close());

  it('reads a record asynchronously: 202, job in a relative Location, pending, then the task and its result', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/chapter_161251386312.html:
    // "any REST request" can run asynchronously with Prefer: respond-async.
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/subsect_161278579295.html
    // (Sending an Asynchronous Request): the request reads customer <id> with
    // ?fields=companyName,email,entityStatus (the page labels it POST, but its result, below, is
    // that read); the answer is 202 with Preference-Applied and a relative job Location.
    const accepted = await ns.send(
      'GET',
      `/record/v1/customer/${customerId}?fields=companyName,email,entityStatus`,
      { headers: { prefer: 'respond-async' } },
    );
    expect(accepted.status).toBe(202);
    expect(accepted.body).toBeUndefined();
    expect(accepted.headers.get('preference-applied')).toBe('respond-async');
    expect(accepted.headers.get('content-type')).toBe('application/json');
    const location = accepted.headers.get('location')!;
    expect(location).toMatch(/^\/services\/rest\/async\/v1\/job\/[^/]+$/);
    const jobId = idFromLocation(location);
    const job = `${ns.origin}${location}`;

    // Same page: the job reads pending, with a link to its tasks.
    const pending = await ns.send('GET', job);
    expect(pending.status).toBe(200);
    expect(pending.body).toEqual({
      links: [{ rel: 'self', href: job }],
      completed: false,
      id: jobId,
      progress: 'pending',
      task: { links: [{ rel: 'self', href: `${job}/task` }] },
    });
    const done = await ns.send('GET', job);
    expect(done.body).toMatchObject({ completed: true, id: jobId });

    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/subsect_161252896355.html
    // (Polling for the Status of a Completed Asynchronous Request): GET …/job/1/task/ (with the
    // trailing slash Oracle writes) lists the task; GET …/task/<id> shows it succeeded.
    const tasks = await ns.send('GET', `${job}/task/`);
    expect(tasks.status).toBe(200);
    const taskHref: string = tasks.body.items[0].links.find(
      (l: { rel: string }) => l.rel === 'self',
    ).href;
    const task = await ns.send('GET', taskHref);
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({
      links: [
        { rel: 'related', href: `${taskHref}/result` },
        { rel: 'self', href: taskHref },
      ],
      completed: true,
      progress: 'succeeded',
      startTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      endTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    });

    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/subsect_161252889998.html
    // (Getting the Result of an Executed Request): the record with the fields asked for.
    const result = await ns.send('GET', `${taskHref}/result`);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      links: [{ rel: 'self', href: `${ns.origin}/services/rest/record/v1/customer/${customerId}` }],
      id: customerId,
      companyName: 'Glenrock General Hospital',
      email: 'alan.smith@example.com',
      entityStatus: {
        links: [{ rel: 'self', href: `${ns.origin}/services/rest/record/v1/customerstatus/13` }],
        id: '13',
        refName: 'CUSTOMER-Closed Won',
      },
    });
  });

  it('answers the POST to a record instance that the page literally writes with 405, in a NetSuite error body', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/subsect_161278579295.html
    // writes POST …/customer/<id>?fields=…; the emulator has no POST on a record instance.
    const post = await ns.send(
      'POST',
      `/record/v1/customer/${customerId}?fields=companyName,email,entityStatus`,
    );
    expect(post.status).toBe(405);
    expect(post.body['o:errorDetails']).toEqual([
      expect.objectContaining({ 'o:errorCode': 'METHOD_NOT_ALLOWED' }),
    ]);
  });

  it('creates asynchronously with an idempotency key; the same key again names the earlier job', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_164494900632.html
    // (idempotent retry): X-NetSuite-Idempotency-Key; a repeat is refused with
    // IDEMPOTENCY_ERROR and the earlier job in Location.
    const before = ns.emulator.state.count('customer');
    const headers = {
      prefer: 'respond-async',
      'x-netsuite-idempotency-key': '4f1f2c9e-5a7d-4f7e-9a56-1c2b3d4e5f60',
    };
    const body = { companyName: 'Async Create Ltd' };
    const first = await ns.send('POST', '/record/v1/customer', { headers, body });
    expect(first.status).toBe(202);
    const job = `${ns.origin}${first.headers.get('location')}`;

    const again = await ns.send('POST', '/record/v1/customer', { headers, body });
    expect(again.status).toBe(400);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.body['o:errorDetails']).toEqual([
      expect.objectContaining({ 'o:errorCode': 'IDEMPOTENCY_ERROR' }),
    ]);

    await ns.send('GET', job); // pending
    await ns.send('GET', job); // completed
    const result = await ns.send('GET', `${job}/task/${idFromLocation(job)}/result`);
    expect(result.status).toBe(204);
    expect(result.headers.get('location')).toMatch(/\/services\/rest\/record\/v1\/customer\/\d+$/);
    expect(ns.emulator.state.count('customer')).toBe(before + 1);
  });

  it('runs a SuiteQL query asynchronously; the result is the query page', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/chapter_161251386312.html
    // ("You can execute any REST request asynchronously"), applied to Oracle's SuiteQL request
    // (section_158394344595): both preferences in one Prefer header.
    const accepted = await ns.send('POST', '/query/v1/suiteql?limit=5', {
      headers: { prefer: 'respond-async, transient' },
      body: { q: 'SELECT id, companyname FROM customer ORDER BY id' },
    });
    expect(accepted.status).toBe(202);
    const job = `${ns.origin}${accepted.headers.get('location')}`;
    await ns.send('GET', job); // pending
    await ns.send('GET', job); // completed
    const result = await ns.send('GET', `${job}/task/${idFromLocation(job)}/result`);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ count: 2, hasMore: false, totalResults: 2 });
    expect(result.body.items.map((r: { companyname: string }) => r.companyname)).toEqual([
      'Glenrock General Hospital',
      'Async Create Ltd',
    ]);
  });
});
