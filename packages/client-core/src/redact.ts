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
  const spellingsOf = (secret: string): string[] => {
    let found = spellings.get(secret);
    if (found === undefined) {
      found = [
        ...new Set([
          secret,
          encodeURIComponent(secret),
          strictEncode(secret),
          encodeURIComponent(secret).replace(/%20/g, '+'),
          JSON.stringify(secret).slice(1, -1),
        ]),
      ];
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
      for (const spelling of spellingsOf(secret)) all.add(spelling);
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
