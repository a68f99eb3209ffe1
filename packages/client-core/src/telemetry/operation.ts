/** A version segment such as `V1`, `v62.0` or `v1`, kept as it is. */
const VERSION = /^v\d+(\.\d+)*$/i;

/**
 * The path of a URL with its identifiers replaced by `{id}`, so a metric's attributes stay few:
 * a segment with a digit in it (record ids, SKUs, UUIDs, `eid:…`) becomes `{id}`, a version
 * segment (`V1`, `v62.0`) stays. `/V1/products/MB-01` → `/V1/products/{id}`.
 */
export function operationOf(pathname: string): string {
  let out = '';
  for (const segment of pathname.split('/')) {
    if (segment === '') continue;
    out += /\d/.test(segment) && !VERSION.test(segment) ? '/{id}' : `/${segment}`;
  }
  return out === '' ? '/' : out;
}
