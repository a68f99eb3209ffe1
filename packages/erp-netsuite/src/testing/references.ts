import type { ErrorDetailInit } from './error-response.js';
import { SUBLISTS } from './store.js';

/**
 * References in request bodies. Oracle's examples send ids as JSON numbers
 * (`"entity": { "id": 107 }`); NetSuite's ids are strings, so the emulator keeps them as strings.
 */
function withStringId(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const ref = value as { id?: unknown };
  return typeof ref.id === 'number' ? { ...ref, id: String(ref.id) } : value;
}

/** The body with every reference id (body fields and sublist line fields) as a string. */
export function withStringReferenceIds(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    const items = (value as { items?: unknown } | null)?.items;
    if (SUBLISTS.has(field) && Array.isArray(items)) {
      out[field] = {
        ...(value as object),
        items: items.map((line) => {
          if (!line || typeof line !== 'object') return line;
          const copy: Record<string, unknown> = {};
          for (const [key, v] of Object.entries(line)) copy[key] = withStringId(v);
          return copy;
        }),
      };
    } else {
      out[field] = withStringId(value);
    }
  }
  return out;
}

/**
 * Item lines that name an item the account does not have, as NetSuite refuses them (Oracle's
 * "Request with an Invalid Body", section_156570709583): 400 INVALID_CONTENT, "You have entered
 * an Invalid Field Value <id> for the following field: item", `o:errorPath` the line's item.
 */
export function unknownLineItems(
  body: Record<string, unknown>,
  itemExists: (id: string) => boolean,
): ErrorDetailInit[] {
  const items = (body.item as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) return [];
  const problems: ErrorDetailInit[] = [];
  items.forEach((line, index) => {
    const id = (line as { item?: { id?: unknown } } | null)?.item?.id;
    if (typeof id === 'string' && !itemExists(id)) {
      problems.push({
        detail: `Error while accessing resource: You have entered an Invalid Field Value ${id} for the following field: item`,
        code: 'INVALID_CONTENT',
        path: `item.items[${index}].item`,
      });
    }
  });
  return problems;
}
