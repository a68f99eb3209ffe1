import { describe, expect, it } from 'vitest';
import { createTransport } from './transport.js';

describe('events', () => {
  it('a throwing listener or logger never breaks a request', async () => {
    let events = 0;
    const boom = () => {
      events += 1;
      throw new Error('listener failed');
    };
    const transport = createTransport({
      fetch: async () => new Response('{"ok":true}', { status: 200 }),
      onEvent: boom,
      logger: { debug: boom, info: boom, warn: boom, error: boom },
    });
    const response = await transport('https://api.test/things');
    expect(await response.json()).toEqual({ ok: true });
    expect(events).toBeGreaterThanOrEqual(2);
  });
});
