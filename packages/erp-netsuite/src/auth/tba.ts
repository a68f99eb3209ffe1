import { type AuthStrategy, ConfigError, oauth1Auth } from '@plumbline/client-core';
import { accountRealm } from '../account.js';

/** Token-based authentication (OAuth 1.0a) credentials of an integration record and access token. */
export interface TbaAuthOptions {
  type: 'tba';
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
  /** Only HMAC-SHA256 is accepted by NetSuite; HMAC-SHA1 is refused with a ConfigError. */
  signatureMethod?: 'HMAC-SHA256' | 'HMAC-SHA1';
}

function required(options: Record<string, unknown>, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(
      `auth.${name}`,
      'is required for token-based authentication (a non-empty string)',
    );
  }
  return value;
}

/** OAuth 1.0a signing for NetSuite: HMAC-SHA256, realm = the account id in upper case with `_`. */
export function tbaAuth(accountId: string, options: TbaAuthOptions): AuthStrategy {
  if (options.signatureMethod !== undefined && options.signatureMethod !== 'HMAC-SHA256') {
    throw new ConfigError(
      'auth.signatureMethod',
      `NetSuite no longer accepts ${String(options.signatureMethod)} for token-based authentication (HMAC-SHA1 ended with release 2023.1); use HMAC-SHA256, the default`,
    );
  }
  const o = options as unknown as Record<string, unknown>;
  return oauth1Auth({
    consumerKey: required(o, 'consumerKey'),
    consumerSecret: required(o, 'consumerSecret'),
    token: required(o, 'tokenId'),
    tokenSecret: required(o, 'tokenSecret'),
    realm: accountRealm(accountId),
    signatureMethod: 'HMAC-SHA256',
  });
}
