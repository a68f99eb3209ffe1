/**
 * Builds a namespaced KeyValueStore key from parts. Each part is percent-encoded, so a part can
 * never contain the separator and `storeKey('a', 'b') + '/'` is a prefix of exactly the keys
 * under (a, b). Encoded parts keep their relative order for ASCII text, digits and ISO times.
 */
export function storeKey(...parts: readonly (string | number)[]): string {
  return parts.map((part) => encodeURIComponent(String(part))).join('/');
}

/** The prefix that lists every key under the given parts (ends with the separator). */
export function storePrefix(...parts: readonly (string | number)[]): string {
  return `${storeKey(...parts)}/`;
}

/** Splits a key built by `storeKey` back into its decoded parts. */
export function parseStoreKey(key: string): string[] {
  return key.split('/').map((part) => decodeURIComponent(part));
}
