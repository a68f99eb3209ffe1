/** A README's quick start written to a scratch module that resolves the built packages. */
export function quickStartModule(packageDir: string): {
  /** The module's path: import it to run the README's code. */
  file: string;
  /** The block's text, as in the README. */
  code: string;
  /** The README line of the block's first line. */
  line: number;
  remove(): void;
};

/**
 * Sends global fetches to the origins in `routes` to the origins they map to, or to a fetch
 * handler that gets the request unchanged; returns the undo.
 */
export function routeOrigins(
  routes: Record<string, string | ((request: Request) => Promise<Response>)>,
): () => void;
