import { MagentoFault, required } from '../fault.js';
import type { RouteContext } from '../router.js';
import { parseSearchCriteria, runSearch, type SearchOutcome } from '../search.js';

/**
 * Run a searchCriteria query of the request over rows. Most repositories declare `getList`'s
 * searchCriteria without a default, so Magento refuses a request without any
 * `searchCriteria…` parameter (400 `"searchCriteria" is required`); MSI sources and stocks
 * default it (`criteriaOptional`).
 */
export function search<T extends object>(
  context: RouteContext,
  rows: Iterable<T>,
  maxPageSize?: number,
  options: { criteriaOptional?: boolean } = {},
): SearchOutcome<T> {
  const criteria = parseSearchCriteria(context.query);
  if (!criteria.present && !options.criteriaOptional) throw required('searchCriteria');
  return runSearch(rows, criteria, maxPageSize);
}

/**
 * Magento's deserializer accepts data-object keys in camelCase (`countryId`, as some Adobe
 * tutorials write them) or snake_case and stores snake_case; mirror that.
 */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    out[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = snakeKeys(child);
  }
  return out;
}

/** Read a required parameter of the JSON body (Magento names the missing field). */
export function bodyField<T>(context: RouteContext, field: string): T {
  const body = context.body;
  if (!body || typeof body !== 'object' || Array.isArray(body) || !(field in body))
    throw required(field);
  return snakeKeys((body as Record<string, unknown>)[field]) as T;
}

export function optionalBody(context: RouteContext): Record<string, unknown> {
  const body = context.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new MagentoFault(400, 'Decoding error: %1', ['the request body must be a JSON object']);
  }
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, snakeKeys(value)]));
}

/** A path parameter that must be an integer (Magento answers 400 otherwise). */
export function intParam(context: RouteContext, name: string): number {
  const raw = context.params[name] ?? '';
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value)) {
    throw new MagentoFault(
      400,
      // Magento's TypeProcessor names the value it got, not the parameter.
      'The "%value" value\'s type is invalid. The "%type" type was expected. Verify and try again.',
      { value: raw, type: 'int' },
    );
  }
  return value;
}
