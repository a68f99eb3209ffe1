import { required } from '../fault.js';
import type { RouteContext } from '../router.js';
import { optionalBody } from './common.js';

/**
 * A top-level body parameter, which Magento's deserializer reads in camelCase or snake_case
 * (`quoteId` / `quote_id`); nested keys come snake_cased.
 */
export function bodyParam(context: RouteContext, camel: string): unknown {
  const body = optionalBody(context);
  const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return body[camel] ?? body[snake];
}

/** A required top-level body parameter (400 naming it when missing). */
export function requiredBodyParam(context: RouteContext, camel: string): unknown {
  const value = bodyParam(context, camel);
  if (value === undefined || value === null) throw required(camel);
  return value;
}

/** A required integer body parameter (`quoteId`, `newParentId`, …). */
export function intBodyParam(context: RouteContext, camel: string): number {
  const value = requiredBodyParam(context, camel);
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw required(camel);
  }
  return number;
}
