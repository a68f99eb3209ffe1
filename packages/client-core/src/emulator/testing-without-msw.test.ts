import { expect, it, vi } from 'vitest';

// msw is an optional peer: make every import of it fail, as it does where it is not installed.
vi.mock('msw', () => {
  throw new Error('msw is not installed');
});
vi.mock('msw/node', () => {
  throw new Error('msw is not installed');
});

it('loads the emulator kit and serves over node:http without msw; only /testing/msw needs it', async () => {
  const testing = await import('../testing.js');
  const server = await testing.listen(async () => testing.jsonResponse({ ok: true }));
  try {
    expect(await (await fetch(`${server.url}/ping`)).json()).toEqual({ ok: true });
  } finally {
    await server.close();
  }
  // The mock does stop msw from loading: the msw subpath fails (vitest wraps the factory's error).
  const failure = await import('../testing-msw.js').then(
    () => undefined,
    (error: unknown) => error as Error & { cause?: Error },
  );
  expect(failure?.cause?.message ?? failure?.message).toMatch(
    /msw is not installed|mocking a module/,
  );
});
