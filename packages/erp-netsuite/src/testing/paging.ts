import { invalidParameter } from './error-response.js';

/**
 * Collection paging as NetSuite does it (Oracle's "Collection Paging", section_156414087576):
 * `limit` 1 to 1000 (default 1000), `offset` a non-negative multiple of the limit (default 0).
 */
export function parsePaging(url: URL): { limit: number; offset: number } | { error: Response } {
  const limitText = url.searchParams.get('limit');
  const offsetText = url.searchParams.get('offset');
  const limit = limitText === null ? 1000 : Number(limitText);
  const offset = offsetText === null ? 0 : Number(offsetText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    return {
      error: invalidParameter(
        `Invalid value for the parameter 'limit'. Provide a value between 1 and 1000.`,
        'limit',
      ),
    };
  }
  if (!Number.isInteger(offset) || offset < 0 || offset % limit !== 0) {
    return {
      error: invalidParameter(
        `Invalid value for the parameter 'offset'. The offset must be a non-negative multiple of the limit (${limit}).`,
        'offset',
      ),
    };
  }
  return { limit, offset };
}

export function pageLinks(url: URL, limit: number, offset: number, total: number) {
  const at = (o: number) => {
    const u = new URL(url);
    u.searchParams.set('limit', String(limit));
    u.searchParams.set('offset', String(o));
    return u.toString();
  };
  // Oracle's examples: a first page links next, last and self (section_156414087576), a single
  // page only self (section_1540810951), whose href carries the paging used (limit=1000&offset=0
  // by default); later pages add first and prev.
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links: { rel: string; href: string }[] = [];
  if (offset > 0) {
    links.push({ rel: 'first', href: at(0) });
    links.push({ rel: 'prev', href: at(Math.max(0, offset - limit)) });
  }
  if (offset + limit < total) links.push({ rel: 'next', href: at(offset + limit) });
  if (offset > 0 || offset + limit < total) links.push({ rel: 'last', href: at(last) });
  links.push({ rel: 'self', href: at(offset) });
  return links;
}
