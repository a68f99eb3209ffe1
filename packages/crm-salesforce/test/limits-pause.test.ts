import { describe, expect, it } from 'vitest';
import { createSalesforceClient, queryAll } from '../src/index.js';
import { createSalesforceEmulator } from '../src/testing.js';

/** An org over its API threshold, whose /limits probes are counted at the emulator. */
function overThresholdOrg(dropAfterProbes: number) {
  const emulator = createSalesforceEmulator({ accessTokens: ['t'], dailyApiLimit: 100 });
  const probeTimes: number[] = [];
  const fetch = async (request: Request) => {
    if (new URL(request.url).pathname.endsWith('/limits')) {
      probeTimes.push(performance.now());
      // the daily window rolls over while the Nth probe is on its way
      if (probeTimes.length === dropAfterProbes) emulator.state.apiUsage = 10;
    }
    return emulator.fetch(request);
  };
  return { emulator, fetch, probeTimes };
}

describe("limits.action 'pause'", () => {
  it('sends one shared /limits probe per pause for 20 paused callers', async () => {
    const org = overThresholdOrg(3);
    const client = createSalesforceClient({
      auth: { type: 'accessToken', accessToken: 't', instanceUrl: 'https://org.example.com' },
      fetch: org.fetch,
      limits: { threshold: 0.9, action: 'pause', pauseMs: 30 },
    });
    org.emulator.state.apiUsage = 95;
    await queryAll(client, 'SELECT Id FROM Account'); // reads 96/100: over the threshold
    const queriesBefore = org.emulator.state.requests.filter((r) =>
      r.path.endsWith('/query'),
    ).length;
    const callers = Array.from({ length: 20 }, () =>
      queryAll(client, 'SELECT Id FROM Account').then(() => 'done'),
    );
    await expect(Promise.all(callers)).resolves.toEqual(Array(20).fill('done'));
    // three pauses, one probe each, however many callers wait
    expect(org.emulator.state.requests.filter((r) => r.path.endsWith('/limits'))).toHaveLength(3);
    expect(org.probeTimes).toHaveLength(3);
    const queries = org.emulator.state.requests.filter((r) => r.path.endsWith('/query')).length;
    expect(queries - queriesBefore).toBe(20);
  });

  it('lets a paused caller abort without cancelling the others, and stops probing when nobody waits', async () => {
    const org = overThresholdOrg(3);
    const client = createSalesforceClient({
      auth: { type: 'accessToken', accessToken: 't', instanceUrl: 'https://org.example.com' },
      fetch: org.fetch,
      limits: { threshold: 0.9, action: 'pause', pauseMs: 30 },
    });
    org.emulator.state.apiUsage = 95;
    await queryAll(client, 'SELECT Id FROM Account');
    const quitter = new AbortController();
    const leaving = queryAll(client, 'SELECT Id FROM Account', { signal: quitter.signal }).catch(
      (e) => e,
    );
    const staying = queryAll(client, 'SELECT Id FROM Account').then(() => 'done');
    quitter.abort(new Error('caller left'));
    const left = await leaving;
    expect(left.code).toBe('ABORTED');
    await expect(staying).resolves.toBe('done');
    expect(org.probeTimes).toHaveLength(3);

    // with every caller gone, the pause is dropped and no probe is sent
    org.emulator.state.apiUsage = 95;
    await queryAll(client, 'SELECT Id FROM Account').catch(() => undefined);
    const alone = new AbortController();
    const pending = queryAll(client, 'SELECT Id FROM Account', { signal: alone.signal }).catch(
      (e) => e,
    );
    alone.abort();
    await pending;
    const probes = org.probeTimes.length;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(org.probeTimes).toHaveLength(probes);
  });
});
