type Parameters = unknown[] | Record<string, unknown>;

/** Magento's placeholder for a parameter key: `%1` for list index 0, `%name` for a name. */
function placeholderOf(key: string | number): string {
  return typeof key === 'number' || /^\d+$/.test(key) ? `%${Number(key) + 1}` : `%${key}`;
}

/**
 * The placeholder → value pairs of Magento's parameters. A list fills `%1`, `%2` …; an object
 * fills `%name` (an integer-like key `"0"` is positional, as PHP reads it); a list of objects
 * (the shape Adobe's published schema gives `parameters`) fills the names of each object.
 */
function pairsOf(parameters: Parameters): Map<string, string> {
  const pairs = new Map<string, string>();
  const add = (key: string | number, value: unknown) =>
    pairs.set(placeholderOf(key), value === null || value === undefined ? '' : String(value));
  if (Array.isArray(parameters)) {
    parameters.forEach((value, index) => {
      add(index, value);
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [name, inner] of Object.entries(value))
          if (!/^\d+$/.test(name)) add(name, inner);
      }
    });
  } else {
    for (const [key, value] of Object.entries(parameters)) add(key, value);
  }
  return pairs;
}

/**
 * Fill Magento's message placeholders the way its Phrase renderer does (PHP `strtr`): at each
 * `%`, the longest matching placeholder wins (`%10` before `%1`, `%fieldName` before `%field`),
 * substituted text is never scanned again, and unknown placeholders stay as they are.
 */
export function formatMagentoMessage(message: string, parameters?: Parameters | null): string {
  if (parameters === undefined || parameters === null || typeof parameters !== 'object') {
    return message;
  }
  const pairs = pairsOf(parameters);
  if (pairs.size === 0) return message;
  const keys = [...pairs.keys()].sort((a, b) => b.length - a.length);
  let out = '';
  let i = 0;
  while (i < message.length) {
    const at = message.indexOf('%', i);
    if (at === -1) {
      out += message.slice(i);
      break;
    }
    out += message.slice(i, at);
    const key = keys.find((k) => message.startsWith(k, at));
    if (key === undefined) {
      out += '%';
      i = at + 1;
    } else {
      out += pairs.get(key);
      i = at + key.length;
    }
  }
  return out;
}
