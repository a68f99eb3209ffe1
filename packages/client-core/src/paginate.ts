import { AbortedError, ConfigError, PlumblineError } from './errors.js';

export interface PaginateOptions<TPage, TCursor> {
  /** Cursor of the first page (offset 0, page 1, a URL, a token). */
  first: TCursor;
  fetchPage(cursor: TCursor, signal?: AbortSignal): Promise<TPage>;
  /** Cursor of the page after `page`, or undefined when it was the last. */
  next(page: TPage, cursor: TCursor): TCursor | undefined;
  signal?: AbortSignal;
  /** Stop with an error after this many pages (guards against servers that never end). Default unlimited. */
  maxPages?: number;
}

function aborted(pages: number, signal: AbortSignal): AbortedError {
  return new AbortedError({
    method: 'paginate',
    url: '',
    cause: signal.reason,
    message: `Pagination was aborted by the caller's signal after ${pages} page(s); no further page was requested.`,
  });
}

/**
 * Pages as an async iterator: fetches the next page only when the consumer asks for it; stops when
 * next() returns undefined, the signal aborts (AbortedError), or the consumer breaks out.
 */
export async function* paginate<TPage, TCursor>(
  options: PaginateOptions<TPage, TCursor>,
): AsyncGenerator<TPage> {
  if (typeof options.fetchPage !== 'function' || typeof options.next !== 'function') {
    throw new ConfigError('fetchPage/next', 'paginate needs both functions');
  }
  const { signal, maxPages } = options;
  let cursor: TCursor | undefined = options.first;
  let pages = 0;
  while (cursor !== undefined) {
    if (signal?.aborted) throw aborted(pages, signal);
    if (maxPages !== undefined && pages >= maxPages) {
      throw new PlumblineError(
        'PAGINATION_LIMIT',
        `Pagination stopped after maxPages (${maxPages}) pages while more were announced; raise maxPages or narrow the query.`,
      );
    }
    let page: TPage;
    try {
      page = await options.fetchPage(cursor, signal);
    } catch (err) {
      if (signal?.aborted && !(err instanceof PlumblineError)) throw aborted(pages, signal);
      throw err;
    }
    pages += 1;
    yield page;
    const following: TCursor | undefined = options.next(page, cursor);
    if (following !== undefined && Object.is(following, cursor) && typeof cursor !== 'object') {
      throw new PlumblineError(
        'PAGINATION_STUCK',
        `next() returned the same cursor (${String(cursor)}) twice; the paging would never end. Check the next() function.`,
      );
    }
    cursor = following;
  }
}

/** The items of every page, in order, as one async iterator. */
export async function* flatten<TPage, TItem>(
  pages: AsyncIterable<TPage>,
  items: (page: TPage) => TItem[],
): AsyncGenerator<TItem> {
  for await (const page of pages) yield* items(page);
}
