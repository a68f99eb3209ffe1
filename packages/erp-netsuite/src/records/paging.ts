/** What a NetSuite collection page says about the pages after it. */
interface PageLike {
  hasMore?: unknown;
  links?: unknown;
  items?: unknown;
  offset?: unknown;
  totalResults?: unknown;
}

/**
 * Whether more pages follow. NetSuite's pages carry `hasMore`; shortened answers (Oracle's own
 * examples among them) may carry only `links` and `totalResults`, so a `next` link, or fewer
 * rows seen than `totalResults`, also means more.
 */
export function pageHasMore(page: PageLike, requestedOffset: number): boolean {
  if (typeof page.hasMore === 'boolean') return page.hasMore;
  if (
    Array.isArray(page.links) &&
    page.links.some((l) => (l as { rel?: unknown } | null)?.rel === 'next')
  ) {
    return true;
  }
  const count = Array.isArray(page.items) ? page.items.length : 0;
  const offset = typeof page.offset === 'number' ? page.offset : requestedOffset;
  return typeof page.totalResults === 'number' && count > 0 && offset + count < page.totalResults;
}
