/** The sources (`src/….ts`) behind each subpath a package's `exports` map publishes. */
export function apiEntryPoints(packageDir: string): string[];
