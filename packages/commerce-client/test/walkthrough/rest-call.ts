// A REST caller the way a tutorial reader writes one: plain fetch, JSON in and out, a bearer
// token when the step names one. Deliberately not our client, so the walkthroughs check the
// emulator against Adobe's documents rather than against our own code.

export interface RestAnswer<T = unknown> {
  status: number;
  body: T;
}

export function restCaller(baseUrl: string) {
  return async <T = unknown>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown } = {},
  ): Promise<RestAnswer<T>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(`${baseUrl}/rest/default${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  };
}
