import { ConfigError, PlumblineError } from '../errors.js';
import { type AuthStrategy, builtInStrategy, withHeader } from './strategy.js';

export interface AccessToken {
  accessToken: string;
  /** Epoch ms; undefined = valid until the server rejects it (e.g. Salesforce sessions). */
  expiresAt?: number;
  tokenType?: string;
  /** Other fields of the token response (instance_url, scope, ...). */
  extra?: Record<string, unknown>;
}

export interface TokenProvider {
  getToken(options?: { forceRefresh?: boolean }): Promise<AccessToken>;
  /** Forget accessToken if it is the cached one (after the server rejected it). */
  invalidate(accessToken: string): void;
  /** Every token value issued recently, plus configured secrets: for the redactor. */
  secrets(): string[];
}

/** Response fields that are credentials in their own right. */
const SECRET_EXTRA_FIELDS = ['refresh_token', 'id_token', 'refreshToken', 'idToken'];
const REMEMBERED = 20;

/**
 * Caches a token until refreshSkewMs (default 60 s, at most half its lifetime) before expiry;
 * concurrent callers share one fetch (single flight).
 */
export function cachedTokenProvider(
  fetchToken: () => Promise<AccessToken>,
  options: { refreshSkewMs?: number; now?: () => number; secrets?: () => string[] } = {},
): TokenProvider {
  const skew = options.refreshSkewMs ?? 60_000;
  if (typeof skew !== 'number' || !(skew >= 0)) {
    throw new ConfigError('refreshSkewMs', `expected a number >= 0, got ${String(skew)}`);
  }
  const now = options.now ?? Date.now;
  let current: { token: AccessToken; refreshAt: number } | undefined;
  let inflight: Promise<AccessToken> | undefined;
  const issued: string[] = [];

  const remember = (value: unknown) => {
    if (typeof value !== 'string' || value === '' || issued.includes(value)) return;
    issued.push(value);
    if (issued.length > REMEMBERED) issued.shift();
  };

  const refresh = (): Promise<AccessToken> => {
    inflight ??= (async () => {
      try {
        const obtainedAt = now();
        const token = await fetchToken();
        if (!token || typeof token.accessToken !== 'string' || token.accessToken === '') {
          throw new PlumblineError(
            'TOKEN_INVALID',
            'The token source returned no access token; check the token endpoint and the parse option.',
          );
        }
        remember(token.accessToken);
        for (const field of SECRET_EXTRA_FIELDS) remember(token.extra?.[field]);
        const refreshAt =
          token.expiresAt === undefined
            ? Number.POSITIVE_INFINITY
            : token.expiresAt - Math.min(skew, Math.max(0, (token.expiresAt - obtainedAt) / 2));
        current = { token, refreshAt };
        return token;
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  };

  return {
    async getToken(opts) {
      if (!opts?.forceRefresh && current && now() < current.refreshAt) return current.token;
      return refresh();
    },
    invalidate(accessToken) {
      if (current?.token.accessToken === accessToken) current = undefined;
    },
    secrets: () => [...issued, ...(options.secrets?.() ?? [])],
  };
}

/** Bearer auth from a provider; on 401 invalidates the used token and refreshes once (shared by concurrent 401s). */
export function tokenAuth(
  provider: TokenProvider,
  options: { scheme?: string } = {},
): AuthStrategy {
  if (!provider || typeof provider.getToken !== 'function') {
    throw new ConfigError('provider', 'expected a TokenProvider with getToken()');
  }
  const scheme = options.scheme ?? 'Bearer';
  return builtInStrategy({
    async authorize(request) {
      const token = await provider.getToken();
      return withHeader(request, 'authorization', `${scheme} ${token.accessToken}`);
    },
    async onUnauthorized(request) {
      const header = request.headers.get('authorization') ?? '';
      const used = header.startsWith(`${scheme} `) ? header.slice(scheme.length + 1) : undefined;
      if (used) provider.invalidate(used);
      await provider.getToken();
      return true;
    },
    secrets: () => provider.secrets(),
  });
}
