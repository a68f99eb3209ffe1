import type { z } from 'zod';
import { CommerceInputError } from '../errors.js';
import * as b2b from './b2b.js';
import * as entities from './entities.js';

/** zod 4 schemas of Adobe Commerce entities, B2B ones included (unknown fields pass through). */
export const schemas = { ...entities, ...b2b };

/** Thrown by `parseEntity`: `field` is the dotted path of the first problem, `issues` has them all. */
export class CommerceValidationError extends CommerceInputError {
  readonly issues: { path: string; message: string }[];

  constructor(label: string, issues: { path: string; message: string }[]) {
    const first = issues[0] ?? { path: '', message: 'invalid' };
    super(
      first.path === '' ? label : `${label}.${first.path}`,
      `${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more problems)` : ''}`,
    );
    this.issues = issues;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** Validate `data` with a schema; throws CommerceValidationError naming the field path. */
export function parseEntity<S extends z.ZodType>(
  schema: S,
  data: unknown,
  label = 'value',
): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw new CommerceValidationError(
    label,
    result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  );
}
