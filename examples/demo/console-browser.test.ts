// biome-ignore-all lint/performance/useDomNodeTextContent: these are playwright Locator.innerText calls (the text as rendered, what an operator sees), not DOM nodes
// The operations console in a real browser: Debian's headless Chromium driven by playwright-core
// (nothing downloaded), on the state of a demo pattern that stopped with dead letters. Skips with
// a notice when /usr/bin/chromium is absent, and fails then under PLUMBLINE_REQUIRE_SERVICES=1.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createQueue, PermanentJobError } from '@plumbline/sync-core';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as customerMaster } from '../customer-master/index.js';
import { run as dualWriteOrder, type OrderJob } from '../dual-write-order/index.js';
import { drainQueue } from '../shared/drain.js';
import type { PatternReport } from '../shared/report.js';
import { generateSeed, TEST_SIZE } from '../shared/seed.js';
import { openStores, type Stores } from '../shared/stores.js';
import { type Systems, startSystems } from '../shared/systems.js';
import {
  DUAL_WRITE_QUEUE,
  loopbackOnly,
  type RunningConsole,
  serveDemoConsole,
} from './console.js';

const CHROMIUM = '/usr/bin/chromium';
/**
 * The committed screenshots the ops-console README links to are rewritten only when
 * PLUMBLINE_UPDATE_SCREENSHOTS=1; otherwise the test writes into a fresh temporary directory,
 * so a test run leaves the git tree clean.
 */
const UPDATE_SCREENSHOTS = process.env.PLUMBLINE_UPDATE_SCREENSHOTS === '1';
const SCREENSHOTS = UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../../packages/ops-console/docs/screenshots/', import.meta.url))
  : join(tmpdir(), `plumbline-console-screenshots-${process.pid}`);
/** The eight bytes every PNG file starts with (PNG specification, section 5.2). */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Takes a full-page screenshot into SCREENSHOTS and checks a non-empty PNG was written there. */
async function screenshot(page: Page, file: string): Promise<void> {
  const path = join(SCREENSHOTS, `${file}.png`);
  rmSync(path, { force: true });
  await page.screenshot({ path, fullPage: true });
  expect(existsSync(path)).toBe(true);
  const written = readFileSync(path);
  expect(written.length).toBeGreaterThan(PNG_SIGNATURE.length);
  expect(written.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)).toBe(true);
}
/** The flags the issue asks for; playwright adds its own automation flags beside them. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const XSS = '<script>window.__pwned = 1; alert("pwned")</script>';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (process.env.PLUMBLINE_REQUIRE_SERVICES === '1') {
    throw new Error(
      `${CHROMIUM} is missing and PLUMBLINE_REQUIRE_SERVICES=1: apt-get install -y chromium`,
    );
  }
  console.warn(
    `[examples] ${CHROMIUM} is missing: skipping the console browser tests (apt-get install -y chromium)`,
  );
}

describe.skipIf(!haveChromium)('the operations console in headless Chromium', () => {
  let systems: Systems;
  let stores: Stores;
  let served: RunningConsole;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  let allow = true;
  let parked: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    systems = await startSystems({ seed: generateSeed(TEST_SIZE) });
    stores = await openStores({ kind: 'memory', name: 'console-browser' });
    const reports: PatternReport[] = [await customerMaster({ systems, stores, edits: 4 })];
    // The dual-write run stops before its fix: two orders stay dead-lettered (an item and a
    // customer NetSuite lacks).
    const dual = await dualWriteOrder({ systems, stores, fulfilShare: 0, stopBeforeFix: true });
    reports.push(dual);
    const queue = createQueue<OrderJob>(stores.queue, { name: DUAL_WRITE_QUEUE });
    parked = (await queue.deadLetters()).map((d) => d.payload.incrementId);
    // A job whose payload carries a script, dead-lettered the way any refused job is.
    await queue.enqueue(
      { incrementId: 'XSS-1', entityId: 0, email: XSS, total: 1, lines: [] },
      { key: 'XSS-1', maxAttempts: 1 },
    );
    await drainQueue(queue, () => {
      throw new PermanentJobError(`refused ${XSS}`);
    });
    served = await serveDemoConsole({
      stores,
      reports,
      authorize: (request) => allow && loopbackOnly(request),
    });
    userDataDir = mkdtempSync(join(tmpdir(), 'plumbline-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await served?.close();
    await stores?.close();
    await systems?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    if (!UPDATE_SCREENSHOTS) rmSync(SCREENSHOTS, { recursive: true, force: true });
  });

  const rows = () => page.locator('tbody tr[data-id]');
  const rowOf = (text: string) => rows().filter({ hasText: text });

  it('lists the dead letters of the failed run: payload, last error and attempts', async () => {
    expect(parked).toHaveLength(2);
    await page.goto(`${served.url}dead-letters`);
    await expect.poll(() => rows().count()).toBe(3);
    for (const incrementId of parked) {
      const row = rowOf(incrementId);
      expect(await row.count()).toBe(1);
      const text = await row.innerText();
      expect(text).toMatch(/NetSuite has no (item|customer)/);
      expect(text).toContain('"incrementId"');
    }
    await screenshot(page, 'dead-letters');
  });

  it('shows an injected <script> payload as text and never runs it', async () => {
    await page.goto(`${served.url}dead-letters`);
    const row = rowOf('XSS-1');
    expect(await row.innerText()).toContain(XSS);
    expect(await row.getByText(XSS, { exact: false }).first().isVisible()).toBe(true);
    expect(
      await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned),
    ).toBeUndefined();
    expect(await page.locator('script').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('refuses an action when the host does not authorize it', async () => {
    await page.goto(`${served.url}dead-letters`);
    allow = false;
    try {
      await rowOf(parked[0]!).getByRole('button', { name: 'Replay' }).click();
      await page.waitForLoadState();
      expect(await page.locator('[role=alert]').innerText()).toContain('not authorized');
      const queue = createQueue(stores.queue, { name: DUAL_WRITE_QUEUE });
      expect(await queue.stats()).toMatchObject({ ready: 0, dead: 3 });
    } finally {
      allow = true;
    }
  });

  it('replays one back to the queue, where a worker completes it', async () => {
    const queue = createQueue<OrderJob>(stores.queue, { name: DUAL_WRITE_QUEUE });
    await page.goto(`${served.url}dead-letters`);
    await rowOf(parked[0]!).getByRole('button', { name: 'Replay' }).click();
    await page.waitForURL(/notice=replayed/);
    expect(await page.getByRole('status').innerText()).toBe('Replayed.');
    expect(await rowOf(parked[0]!).count()).toBe(0);
    expect(await queue.stats()).toMatchObject({ ready: 1, dead: 2 });
    await page.goto(`${served.url}queues`);
    expect(await page.locator(`tr[data-queue="${DUAL_WRITE_QUEUE}"]`).innerText()).toMatch(
      new RegExp(`^${DUAL_WRITE_QUEUE}\\s+1\\s+0\\s+0\\s+2`),
    );
    const completed: string[] = [];
    await drainQueue(queue, (job) => {
      completed.push(job.payload.incrementId);
    });
    expect(completed).toEqual([parked[0]]);
    expect(await queue.stats()).toMatchObject({ ready: 0, running: 0, dead: 2 });
    await page.reload();
    expect(await page.locator(`tr[data-queue="${DUAL_WRITE_QUEUE}"]`).innerText()).toMatch(
      new RegExp(`^${DUAL_WRITE_QUEUE}\\s+0\\s+0\\s+0\\s+2`),
    );
  });

  it('writes a screenshot of every page', async () => {
    const pages: Array<[string, string, string]> = [
      ['overview', '', 'Overview'],
      ['dead-letters', 'dead-letters', 'Dead letters'],
      ['conflicts', 'conflicts', 'Conflict log'],
      ['reconciliation', 'reconciliation', 'Last reconciliation'],
      ['queues', 'queues', 'Queues'],
      ['runners', 'runners', 'Runners'],
      ['breakers', 'breakers', 'Breakers and limiters'],
      ['ownership', 'ownership', 'Source of truth'],
    ];
    for (const [file, path, heading] of pages) {
      await page.goto(`${served.url}${path}`);
      expect(await page.locator('main h2').innerText()).toBe(heading);
      await screenshot(page, file);
    }
    expect(dialogs).toEqual([]);
  });
});
