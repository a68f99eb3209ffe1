import { PlumblineError } from '@plumbline/client-core';

/**
 * What typegen needs and the client does not: optional peer dependencies of
 * `@plumbline/commerce-client`, so a runtime install stays small (openapi-typescript alone pulls in
 * TypeScript). typegen imports them when it runs, never when the client loads.
 */
export const TYPEGEN_PEERS = ['openapi-typescript', 'yaml', 'swagger2openapi'] as const;

const INSTALL = `npm install --save-dev ${TYPEGEN_PEERS.join(' ')}`;

/** typegen ran without one of its optional peer dependencies installed. */
export class TypegenDependencyError extends PlumblineError {
  readonly dependency: string;

  constructor(dependency: string, options?: { cause?: unknown }) {
    super(
      'TYPEGEN_DEPENDENCY_MISSING',
      `typegen needs "${dependency}", which is not installed: it is an optional peer dependency of @plumbline/commerce-client, left out of runtime installs. Run \`${INSTALL}\` and try again.`,
      options,
    );
    this.dependency = dependency;
  }
}

/** Node's "not found" for this very package (not for something it imports in turn). */
function isMissing(error: unknown, specifier: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  return (
    typeof message === 'string' &&
    (message.includes(`'${specifier}'`) || message.includes(`"${specifier}"`))
  );
}

/**
 * Imports one of typegen's optional peers; a missing one becomes a TypegenDependencyError naming
 * it and the install command. `importer` is the module loader (tests give their own).
 */
export async function importTypegenPeer<T>(
  specifier: string,
  importer: (specifier: string) => Promise<unknown> = (s) => import(s),
): Promise<T> {
  try {
    return (await importer(specifier)) as T;
  } catch (error) {
    if (isMissing(error, specifier)) throw new TypegenDependencyError(specifier, { cause: error });
    throw error;
  }
}
