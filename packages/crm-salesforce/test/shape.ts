/**
 * Structural comparison of JSON values: the same keys and the same kinds of values (string,
 * number, boolean, object, array), values themselves ignored. A null on either side matches any
 * kind, since nillable fields are null or not depending on the record.
 */

type Kind = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean' | 'undefined';

function kind(value: unknown): Kind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as Kind;
}

export interface ShapeOptions {
  /** Keys the actual value may have that the expected one lacks (the emulator says more). */
  extraOk?: boolean;
  /** Keys of the expected value the actual one may lack. */
  missingOk?: boolean;
}

/** Every difference in structure between `actual` and `expected`, as JSON paths; [] when alike. */
export function shapeDiff(
  actual: unknown,
  expected: unknown,
  options: ShapeOptions = {},
  path = '$',
): string[] {
  const a = kind(actual);
  const e = kind(expected);
  if (a === 'null' || e === 'null') return [];
  if (a !== e) return [`${path}: ${a} where Salesforce sends ${e}`];
  if (a === 'array') {
    const items = expected as unknown[];
    if (items.length === 0) return [];
    const out: string[] = [];
    (actual as unknown[]).forEach((item, i) => {
      let best: string[] | undefined;
      for (const candidate of items) {
        const diff = shapeDiff(item, candidate, options, `${path}[${i}]`);
        if (!best || diff.length < best.length) best = diff;
        if (diff.length === 0) break;
      }
      out.push(...(best ?? []));
    });
    return out;
  }
  if (a === 'object') {
    const act = actual as Record<string, unknown>;
    const exp = expected as Record<string, unknown>;
    const out: string[] = [];
    for (const key of Object.keys(exp)) {
      if (!(key in act)) {
        if (!options.missingOk) out.push(`${path}.${key}: missing`);
        continue;
      }
      out.push(...shapeDiff(act[key], exp[key], options, `${path}.${key}`));
    }
    if (!options.extraOk)
      for (const key of Object.keys(act))
        if (!(key in exp)) out.push(`${path}.${key}: not sent by Salesforce`);
    return out;
  }
  return [];
}
