// The quick start of each package as a user runs it from the packed tarballs: each function takes
// the loaded entries (from require() or import), talks to the package's emulator over node:http
// (no msw installed) and asserts what it got. scripts/pack-install.mjs copies this file into each
// fresh project.
'use strict';
const assert = require('node:assert/strict');

async function clientCore(core, testing) {
  // A server that answers 503 once, then 200: the transport retries through p-retry.
  let calls = 0;
  const server = await testing.listen(async () =>
    ++calls === 1 ? new Response('busy', { status: 503 }) : testing.jsonResponse({ ok: true }),
  );
  try {
    const transport = core.createTransport({
      auth: core.bearerAuth('quick-start-token'),
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
      timeoutMs: 5_000,
    });
    const response = await transport(server.url + '/ping', { method: 'GET' });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ok: true });
    assert.equal(calls, 2);
  } finally {
    await server.close();
  }
}

async function commerce([core, coreTesting, client, testing]) {
  await clientCore(core, coreTesting);
  const emulator = testing.createCommerceEmulator({
    seed: { products: [{ sku: 'MB-01', name: 'Joust Duffle Bag', price: 34 }] },
  });
  const server = await emulator.listen();
  try {
    const commerce = client.createCommerceClient({
      baseUrl: server.url,
      auth: { type: 'admin', username: 'admin', password: 'admin123' },
    });
    const { data } = await commerce.GET('/V1/products', {
      params: { query: client.searchCriteria().where('sku', 'eq', 'MB-01').pageSize(10).toQuery() },
    });
    assert.equal(data.total_count, 1);
    assert.equal(data.items[0].name, 'Joust Duffle Bag');
  } finally {
    await server.close();
  }
}

const TBA = {
  consumerKey: 'qs-consumer-key',
  consumerSecret: 'qs-consumer-secret',
  tokenId: 'qs-token-id',
  tokenSecret: 'qs-token-secret',
};

async function netsuite([core, coreTesting, client, testing]) {
  await clientCore(core, coreTesting);
  const emulator = testing.createNetSuiteEmulator({ accountId: '1234567_SB1', tba: TBA });
  emulator.state.insert('customer', [{ companyName: 'Acme', externalId: 'C-1' }]);
  const server = await emulator.listen();
  try {
    const netsuite = client.createNetSuiteClient({
      accountId: '1234567_SB1',
      auth: { type: 'tba', ...TBA },
      baseUrl: server.url,
    });
    const rows = [];
    for await (const row of client.suiteqlRows(
      netsuite,
      client.suiteql`SELECT id, companyname FROM customer WHERE externalid = ${'C-1'}`,
    ))
      rows.push(row);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].companyname, 'Acme');
  } finally {
    await server.close();
  }
}

async function salesforce([core, coreTesting, client, testing]) {
  await clientCore(core, coreTesting);
  const emulator = testing.createSalesforceEmulator({
    clients: [{ clientId: 'app', clientSecret: 'secret' }],
    seed: { Account: [{ Name: 'Acme' }] },
  });
  const server = await emulator.listen();
  try {
    const salesforce = client.createSalesforceClient({
      loginUrl: server.url,
      auth: { type: 'clientCredentials', clientId: 'app', clientSecret: 'secret' },
    });
    const name = 'Acme';
    const names = [];
    for await (const account of client.query(
      salesforce,
      client.soql`SELECT Id, Name FROM Account WHERE Name = ${name}`,
    ))
      names.push(account.Name);
    assert.deepEqual(names, ['Acme']);
  } finally {
    await server.close();
  }
}

async function syncCore([sync]) {
  const once = sync.createIdempotency(sync.memoryIdempotencyStore());
  let runs = 0;
  const first = await once.run('order-1', async () => ({ created: ++runs }));
  const again = await once.run('order-1', async () => ({ created: ++runs }));
  assert.deepEqual(first, { created: 1 });
  assert.deepEqual(again, { created: 1 });
  assert.equal(runs, 1);
}

// The NetSuite typegen CLI needs nothing beyond the runtime install: it reads the emulator's
// metadata catalog over HTTP with TBA credentials from the environment and writes the types.
async function netsuiteTypegen([, , , testing]) {
  const { execFile } = require('node:child_process');
  const { readFileSync } = require('node:fs');
  const { join, dirname } = require('node:path');
  const emulator = testing.createNetSuiteEmulator({ accountId: '1234567_SB1', tba: TBA });
  const server = await emulator.listen();
  try {
    const cli = join(
      dirname(require.resolve('@plumbline/erp-netsuite/package.json')),
      'dist/cli.js',
    );
    const out = join(process.cwd(), 'netsuite-types.ts');
    const args = ['typegen', '--records', 'customer', '--out', out];
    args.push('--account', '1234567_SB1', '--base-url', server.url);
    const env = {
      ...process.env,
      NETSUITE_CONSUMER_KEY: TBA.consumerKey,
      NETSUITE_CONSUMER_SECRET: TBA.consumerSecret,
      NETSUITE_TOKEN_ID: TBA.tokenId,
      NETSUITE_TOKEN_SECRET: TBA.tokenSecret,
    };
    await new Promise((resolve, reject) => {
      execFile(process.execPath, [cli, ...args], { env, timeout: 60_000 }, (error, _out, err) =>
        error ? reject(new Error(`plumbline-netsuite typegen failed: ${err}`)) : resolve(),
      );
    });
    assert.match(readFileSync(out, 'utf8'), /export interface Customer\b/);
  } finally {
    await server.close();
  }
}

// The ops console over node:http with a memory queue holding one dead job: the page lists it,
// escaped, under the security headers.
async function opsConsole([sync, ops]) {
  const http = require('node:http');
  const queue = sync.createQueue(sync.memoryQueueStore(), { name: 'orders', maxAttempts: 1 });
  await queue.enqueue({ note: '<script>x</script>' });
  const stop = new AbortController();
  const worker = queue.work(
    () => {
      throw new Error('refused');
    },
    { pollMs: 5, signal: stop.signal },
  );
  while ((await queue.stats()).dead === 0) await new Promise((r) => setTimeout(r, 5));
  stop.abort();
  await worker;
  const server = http.createServer(
    ops.nodeListener(ops.createConsole({ queues: { orders: queue } })),
  );
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${server.address().port}/dead-letters`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-security-policy'), /default-src 'none'/);
    const text = await response.text();
    assert.match(text, /&lt;script&gt;x&lt;\/script&gt;/);
    assert.doesNotMatch(text, /<script>/);
  } finally {
    server.close();
  }
}

module.exports = { commerce, netsuite, netsuiteTypegen, opsConsole, salesforce, syncCore };
