import {
  clientCredentialsTokenProvider,
  type TokenProvider,
  type TokenRequestOptions,
  type TransportOptions,
} from '@plumbline/client-core';

/** Adobe IMS token endpoint (OAuth server-to-server credentials). */
export const IMS_TOKEN_URL = 'https://ims-na1.adobelogin.com/ims/token/v3';
/** Scope of Adobe Commerce as a Cloud Service REST calls. */
export const ACCS_SCOPE = 'commerce.accs';

export interface ImsCredentials {
  clientId: string;
  clientSecret: string;
  /** Default `commerce.accs`; Adobe's console may list more (e.g. `openid,AdobeID,commerce.accs`). */
  scope?: string;
  tokenUrl?: string;
}

/**
 * IMS client-credentials token provider for Adobe Commerce as a Cloud Service; its token requests
 * are retried on outages and bounded by `timeoutMs`/`deadlineMs` (client-core's TokenRequestOptions).
 */
export function imsTokenProvider(
  credentials: ImsCredentials,
  options: TokenRequestOptions & { fetch?: TransportOptions['fetch']; now?: () => number } = {},
): TokenProvider {
  return clientCredentialsTokenProvider({
    tokenUrl: credentials.tokenUrl ?? IMS_TOKEN_URL,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    scope: credentials.scope ?? ACCS_SCOPE,
    ...(options.fetch ? { fetch: options.fetch as typeof fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
  });
}
