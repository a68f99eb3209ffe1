import { MagentoFault } from './fault.js';

/**
 * Magento's REST input is cast to the type each data interface declares
 * (`Framework/Reflection/TypeCaster` via `Webapi/ServiceInputProcessor`): a float field accepts a
 * JSON number or a numeric string (`"qty": "10"`, as Adobe's product tutorials send it) and
 * refuses anything else with the value and the expected type.
 */
export function castFloat(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) {
    return Number(value);
  }
  throw new MagentoFault(
    400,
    'The "%value" value\'s type is invalid. The "%type" type was expected. Verify and try again.',
    { value: typeof value === 'string' ? value : JSON.stringify(value), type: 'float' },
  );
}

/** Cast the listed float fields of `record` in place when present (null stays null). */
export function castFloatFields<T extends object>(record: T, fields: readonly string[]): T {
  const data = record as Record<string, unknown>;
  for (const field of fields) {
    if (data[field] !== undefined && data[field] !== null) data[field] = castFloat(data[field]);
  }
  return record;
}

/** An `int` field: a JSON integer or an integer string (`"1"`), else the same 400 naming `int`. */
export function castInt(value: unknown): number {
  const number =
    typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number === 'number' && Number.isSafeInteger(number)) return number;
  throw new MagentoFault(
    400,
    'The "%value" value\'s type is invalid. The "%type" type was expected. Verify and try again.',
    { value: typeof value === 'string' ? value : JSON.stringify(value), type: 'int' },
  );
}
