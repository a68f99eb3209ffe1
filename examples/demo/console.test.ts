// `demo --console`: the flags, and the console answering on the demo's own state (then closed).
import { describe, expect, it } from 'vitest';
import { parseDemoFlags, UsageError } from '../shared/cli.js';
import { DUAL_WRITE_QUEUE, loopbackOnly, serveDemoConsole } from './console.js';
import { runDemo } from './main.js';

describe('demo --console', () => {
  it('parses --console and --console-port beside the common flags', () => {
    expect(parseDemoFlags(['--', '--console'])).toMatchObject({
      console: true,
      consolePort: undefined,
      fresh: false,
      faults: false,
      store: 'sqlite',
    });
    expect(
      parseDemoFlags(['--fresh', '--faults', '--console', '--console-port', '4400']),
    ).toMatchObject({ console: true, consolePort: 4400, fresh: true, faults: true });
    expect(parseDemoFlags(['--console', '--console-port=0', '--store', 'memory'])).toMatchObject({
      consolePort: 0,
      store: 'memory',
    });
    expect(parseDemoFlags([])).toMatchObject({ console: false, consolePort: undefined });
    expect(() => parseDemoFlags(['--console-port', '4400'])).toThrow(
      /--console-port needs --console/,
    );
    expect(() => parseDemoFlags(['--console', '--console-port', 'http'])).toThrow(UsageError);
    expect(() => parseDemoFlags(['--console', '--console-port'])).toThrow(
      /--console-port must be a port number/,
    );
    expect(() => parseDemoFlags(['--consol'])).toThrow(UsageError);
  });

  it('lets only requests addressed to a loopback name act', () => {
    expect(loopbackOnly(new Request('http://127.0.0.1:4400/'))).toBe(true);
    expect(loopbackOnly(new Request('http://localhost:4400/'))).toBe(true);
    expect(loopbackOnly(new Request('http://rebound.example:4400/'))).toBe(false);
  });

  it('serves the console on the state a demo run leaves open, until closed', async () => {
    const result = await runDemo({
      size: { products: 20, customers: 12, orders: 20 },
      store: 'memory',
      keepStores: true,
    });
    expect(result.stores).toBeDefined();
    const stores = result.stores!;
    const running = await serveDemoConsole({ stores, reports: result.reports });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const overview = await fetch(running.url);
      expect(overview.status).toBe(200);
      expect(await overview.text()).toContain('Plumbline demo operations');
      const queues = await (await fetch(`${running.url}queues`)).text();
      expect(queues).toContain(`data-queue="${DUAL_WRITE_QUEUE}"`);
      const reconciliation = await (await fetch(`${running.url}reconciliation`)).text();
      expect(reconciliation).toContain('Commerce orders ↔ NetSuite sales orders');
      const runners = await (await fetch(`${running.url}runners`)).text();
      expect(runners).toMatch(/customer-master ← commerce.*watermark \d{4}-/s);
      const ownership = await (await fetch(`${running.url}ownership`)).text();
      expect(ownership).toContain('<table>');
    } finally {
      await running.close();
      await stores.close();
    }
    await expect(fetch(running.url)).rejects.toThrow();
  }, 120_000);
});
