/**
 * A response counts against its concurrency slot until its body is done, as vendors count it
 * (NetSuite counts a request until its response completes): the slot is given back when the body
 * has been read to its end, when it fails (the caller's signal, the deadline, a reset), when the
 * caller cancels it, or, as a last resort, when the response is garbage collected unread.
 */

type Release = () => Promise<void>;

/** A release that fails (a shared backend is down) leaves the lease to expire after leaseMs. */
function releaseQuietly(release: Release): void {
  release().catch(() => {});
}

/** Releases the slot of a response that was dropped without being read or cancelled. */
const unread = new FinalizationRegistry<() => void>((done) => done());

/**
 * The same response (status, headers, url) whose body releases `release` once, when it is done.
 * A response without a body, or with `Content-Length: 0` (which openapi-fetch never reads),
 * releases at once.
 */
export function holdUntilBodyDone(response: Response, release: Release): Response {
  const source = response.body;
  if (source === null || response.headers.get('content-length') === '0') {
    releaseQuietly(release);
    return response;
  }
  const token = {};
  let released = false;
  const done = () => {
    if (released) return;
    released = true;
    unread.unregister(token);
    releaseQuietly(release);
  };
  const reader = source.getReader();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (err) {
          done();
          controller.error(err);
          return;
        }
        if (chunk.done) {
          done();
          controller.close();
        } else controller.enqueue(chunk.value);
      },
      cancel(reason) {
        done();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  const held = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // new Response() has an empty url and type 'default'; keep what fetch reported.
  Object.defineProperties(held, {
    url: { value: response.url },
    redirected: { value: response.redirected },
    type: { value: response.type },
  });
  unread.register(held, done, token);
  return held;
}
