import { z } from 'zod';

/** `{ rel, href }`: NetSuite's HATEOAS link. */
export const link = z.looseObject({ rel: z.string(), href: z.string() });
export const links = z.array(link);

/** A reference to another record: `{ id, refName, links }`. */
export const reference = z.looseObject({
  id: z.string(),
  refName: z.string().optional(),
  externalId: z.string().optional(),
  links: links.optional(),
});

/** A select field's value: `{ id, refName }`. */
export const enumValue = z.looseObject({ id: z.string(), refName: z.string().optional() });

/** Fields every record shares; unknown fields (custom fields included) pass through. */
export const recordBase = z.looseObject({
  id: z.string().optional(),
  externalId: z.string().optional(),
  links: links.optional(),
  lastModifiedDate: z.string().optional(),
  dateCreated: z.string().optional(),
});

/** A sublist: `{ links, items?, totalResults?, ... }`, items only when expanded. */
export function sublist<T extends z.ZodType>(line: T) {
  return z.looseObject({
    links: links.optional(),
    items: z.array(line).optional(),
    totalResults: z.number().optional(),
    count: z.number().optional(),
    hasMore: z.boolean().optional(),
    offset: z.number().optional(),
  });
}
