import { RecordShapeError } from './errors.js';

/** Anything with zod's safeParse (zod 4 schemas and compatible validators). */
export interface RecordSchema<T> {
  safeParse(value: unknown):
    | { success: true; data: T }
    | {
        success: false;
        error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> };
      };
}

/** Validates one record; throws RecordShapeError naming the fields and the problem. */
export function parseRecord<T>(
  schema: RecordSchema<T>,
  value: unknown,
  index: number,
  what: string,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const fields = [...new Set(issues.map((i) => i.path.map(String).join('.')).filter(Boolean))];
  const detail = issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(record)'}: ${i.message}`)
    .join('; ');
  throw new RecordShapeError(
    `${what} #${index} does not match the schema: ${detail}.`,
    fields,
    index,
  );
}
