import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTransport } from '@plumbline/client-core';
import { measureInterleaved } from '../harness/measure.js';
import type { BenchContext, Scenario, ScenarioResult } from '../harness/scenario.js';
import { ratio } from '../harness/stats.js';

/** A bare node:http server with no latency: it answers every GET with a small JSON body. */
async function startPlainServer(): Promise<{
  url: string;
  requests: () => number;
  close(): Promise<void>;
}> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    const body = JSON.stringify({ id: requests, path: req.url, ok: true });
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

type Get = (url: string) => Promise<unknown>;

/** `total` GETs, `concurrency` at a time; returns how many answered with a parsed body. */
async function getMany(
  get: Get,
  baseUrl: string,
  total: number,
  concurrency: number,
): Promise<number> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const body = (await get(`${baseUrl}/items/${i}`)) as { ok?: boolean };
      if (body.ok === true) done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done;
}

export const clientOverhead: Scenario = {
  id: 6,
  key: 'client-overhead',
  title:
    'Client overhead: GETs to a local server with no latency, plumbline transport vs plain fetch',
  async run(context: BenchContext): Promise<ScenarioResult> {
    const total = context.quick ? 200 : 20_000;
    const server = await startPlainServer();
    try {
      const plainFetch: Get = async (url) => (await fetch(url)).json();
      const transport = createTransport();
      // Both get the same input, a URL string: building a Request is the caller's cost, not the
      // transport's (fetch(url) builds its own inside undici; so does the transport).
      const plumbline: Get = async (url) => (await transport(url)).json();

      const candidates = [
        ['plain fetch', plainFetch],
        ['plumbline createTransport()', plumbline],
      ] as const;
      // Warm up every path (JIT, keep-alive sockets) before anything is timed.
      for (const [, get] of candidates) await getMany(get, server.url, Math.min(total, 1000), 1);
      let before = 0;
      const variants = await measureInterleaved(
        candidates.map(([name, get]) => ({
          name,
          expected: total,
          prepare: () => {
            before = server.requests();
          },
          run: async () => {
            const records = await getMany(get, server.url, total, 1);
            return { records, requests: server.requests() - before };
          },
        })),
        { runs: context.runs, log: context.log },
      );
      const [fetchResult, oursResult] = variants;
      const ratios = [
        {
          label: `plumbline transport time / plain fetch time (${total.toLocaleString('en-US')} sequential GETs, no latency)`,
          value: ratio(oursResult!.medianMs, fetchResult!.medianMs),
          headline: true,
        },
        {
          label: 'time the plumbline transport adds per request',
          value: ((oursResult!.medianMs - fetchResult!.medianMs) * 1000) / total,
          unit: 'µs',
        },
      ];
      return {
        id: this.id,
        key: this.key,
        title: this.title,
        variants,
        ratios,
        notes: [
          `${total.toLocaleString('en-US')} GETs per run, one at a time, to a bare node:http server in the same process (keep-alive, no injected latency); each body is parsed as JSON. Variants run in interleaved rounds after a warm-up.`,
          'Both variants are called with the URL string (`fetch(url)`, `transport(url)`); until 2026-12 the transport was handed `new Request(url)`, which charged it for building a Request (and following its signal) that plain fetch never built.',
          'createTransport() with its defaults: retry bookkeeping (p-retry), a 30 s per-attempt timeout signal, typed errors and events.',
        ],
      };
    } finally {
      await server.close();
    }
  },
};
