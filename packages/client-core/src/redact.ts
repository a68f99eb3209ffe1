/** What replaces a secret in any text Plumbline produces. */
export const REDACTED = '[REDACTED]';

/** Headers whose values are credentials as a whole. */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-access-token',
]);

/** Query or form parameters whose values are credentials. */
const SECRET_PARAMS =
  /^(access_token|refresh_token|id_token|token|client_secret|client_assertion|assertion|password|passwd|pwd|secret|api_key|apikey|sig|signature|code_verifier|oauth_signature|oauth_token|oauth_token_secret|oauth_verifier|private_key)$/i;

const TEXT_PATTERNS: Array<[RegExp, string]> = [
  // PEM private keys (any kind).
  [
    /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g,
    `${REDACTED} private key`,
  ],
  // Authorization schemes carrying a credential.
  [/\b(Bearer|Basic)(\s+)[A-Za-z0-9\-._~+/]{8,}=*/g, `$1$2${REDACTED}`],
  // OAuth 1.0a header or query values.
  [
    /\b(oauth_(?:signature|token|token_secret|verifier)\s*=\s*)(\\?"?)(?!\[REDACTED\])[^"&,\s\\]*/gi,
    `$1$2${REDACTED}`,
  ],
  // key=value, "key": "value", key: value for well-known secret names (JSON, form, query, text).
  [
    /(\\?["']?\b(?:access_token|refresh_token|id_token|client_secret|client_assertion|assertion|password|passwd|private_key|privateKey|clientSecret|accessToken|refreshToken|consumerSecret|consumer_secret|tokenSecret|token_secret)\b\\?["']?\s*[:=]\s*(?:\\?["'])?)(?!\[REDACTED\])([^"'&,\s}\]\\]+)/g,
    `$1${REDACTED}`,
  ],
];

/** RFC 3986 strict percent-encoding, as OAuth 1.0a and most form encoders produce it. */
function strictEncode(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The inside of a JSON string literal, as JavaScript's JSON.stringify writes it. */
function jsonEscape(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/** The inside of a JSON string literal as PHP's json_encode writes it (Magento): `\/`, `\uXXXX`. */
function jsonEscapeAscii(s: string): string {
  return jsonEscape(s)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Percent-encoded spellings: URI component, RFC 3986 strict, form (`+` for space) as
 * encodeURIComponent and as URLSearchParams write it. A string that cannot be encoded (a lone
 * surrogate) has none.
 */
function percentSpellings(s: string): string[] {
  try {
    const component = encodeURIComponent(s);
    return [
      component,
      strictEncode(s),
      component.replace(/%20/g, '+'),
      new URLSearchParams({ s }).toString().slice(2),
    ];
  } catch {
    return [];
  }
}

/**
 * How deep a secret can be JSON-escaped and still be found: a request body (1), echoed inside a
 * JSON error (2), that error logged as JSON (3), and once more for a wrapper (4).
 */
const JSON_DEPTH = 4;

/**
 * Every spelling of a secret that a log line or an error body may hold: as is, percent-encoded
 * (URI component, RFC 3986, form `+`), JSON-escaped 1 to JSON_DEPTH times by JavaScript or PHP
 * encoders in any order, and the percent-encodings of its JSON form (a JSON body in a query).
 */
function spellingsOf(secret: string): string[] {
  const found = new Set<string>([secret, ...percentSpellings(secret)]);
  let layer = new Set([secret]);
  for (let depth = 1; depth <= JSON_DEPTH; depth++) {
    const next = new Set<string>();
    for (const spelling of layer) {
      next.add(jsonEscape(spelling));
      next.add(jsonEscapeAscii(spelling));
    }
    for (const spelling of next) found.add(spelling);
    // A secret without characters JSON escapes spells the same at every depth.
    if (next.size === 1 && next.has(secret)) break;
    layer = next;
  }
  const json = jsonEscape(secret);
  if (json !== secret) for (const spelling of percentSpellings(json)) found.add(spelling);
  return [...found];
}

export interface Redactor {
  /** Replaces every known secret value and every credential-looking pattern. */
  text(s: string): string;
  /** Redacts userinfo, secret query parameters and known secret values of a URL. */
  url(u: string): string;
  /** A plain object of the headers with credential headers replaced and values redacted. */
  headers(h: Headers): Record<string, string>;
}

/**
 * Builds a redactor. `secrets` is called on every use so that rotating tokens are covered; values
 * shorter than 4 characters are ignored (they would mangle ordinary text).
 */
export function createRedactor(secrets: () => string[]): Redactor {
  // Secrets can rotate on every request (an OAuth 1.0a signature is one), so nothing here compiles
  // a pattern per change: each secret's spellings are derived once and replaced as plain strings.
  const spellings = new Map<string, string[]>();
  let cachedKey: string | undefined;
  let cachedLiterals: string[] = [];
  const spellingsCached = (secret: string): string[] => {
    let found = spellings.get(secret);
    if (found === undefined) {
      found = spellingsOf(secret);
      if (spellings.size >= 1024) spellings.clear();
      spellings.set(secret, found);
    }
    return found;
  };
  const literals = (): string[] => {
    const current = secrets();
    const key = current.join('\u0000');
    if (key === cachedKey) return cachedLiterals;
    const all = new Set<string>();
    for (const secret of current) {
      if (typeof secret !== 'string' || secret.length < 4) continue;
      for (const spelling of spellingsCached(secret)) all.add(spelling);
    }
    // Longest first, so a secret that contains another is replaced whole.
    cachedLiterals = [...all].sort((a, b) => b.length - a.length);
    cachedKey = key;
    return cachedLiterals;
  };

  const text = (s: string): string => {
    let out = String(s);
    for (const literal of literals()) {
      if (out.includes(literal)) out = out.split(literal).join(REDACTED);
    }
    for (const [pattern, replacement] of TEXT_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };

  const url = (u: string): string => {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      return text(u);
    }
    if (parsed.username) parsed.username = 'redacted';
    if (parsed.password) parsed.password = 'redacted';
    if (parsed.search) {
      // Keep every segment as it was written; only the values of secret parameters change.
      const segments = parsed.search.slice(1).split('&');
      let changed = false;
      const next = segments.map((segment) => {
        const eq = segment.indexOf('=');
        const rawName = eq === -1 ? segment : segment.slice(0, eq);
        let name = rawName;
        try {
          name = decodeURIComponent(rawName.replace(/\+/g, ' '));
        } catch {
          // keep the raw name
        }
        if (!SECRET_PARAMS.test(name)) return segment;
        changed = true;
        return `${rawName}=${REDACTED}`;
      });
      if (changed) parsed.search = `?${next.join('&')}`;
    }
    return text(parsed.toString());
  };

  const headers = (h: Headers): Record<string, string> => {
    const out: Record<string, string> = {};
    h.forEach((value, name) => {
      out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : text(value);
    });
    return out;
  };

  return { text, url, headers };
}

/** Deep-redacts strings inside plain JSON-like data (vendor error details). */
export function redactDeep(value: unknown, redactText: (s: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redactText, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_PARAMS.test(k) ? REDACTED : redactDeep(v, redactText, depth + 1);
  }
  return out;
}
