import { ConfigError } from '@plumbline/client-core';

const ACCOUNT_ID = /^[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*$/;

/** Checks a NetSuite account id (`1234567`, `1234567_SB1`, `TSTDRV123`) and returns it trimmed. */
export function validateAccountId(accountId: unknown): string {
  if (typeof accountId !== 'string' || accountId.trim() === '') {
    throw new ConfigError(
      'accountId',
      'it is required: pass the NetSuite account id, for example "1234567" or "1234567_SB1"',
    );
  }
  const id = accountId.trim();
  if (!ACCOUNT_ID.test(id)) {
    throw new ConfigError(
      'accountId',
      `"${id}" is not a NetSuite account id: use letters, digits and "_" only, for example "1234567_SB1"`,
    );
  }
  return id;
}

/** The host label of an account: lower case, `_` becomes `-` (`1234567_SB1` -> `1234567-sb1`). */
export function accountHostLabel(accountId: string): string {
  return validateAccountId(accountId).toLowerCase().replace(/_/g, '-');
}

/** The OAuth realm of an account: upper case with `_` (`1234567-sb1` -> `1234567_SB1`). */
export function accountRealm(accountId: string): string {
  return validateAccountId(accountId).toUpperCase().replace(/-/g, '_');
}

/** `https://<account>.suitetalk.api.netsuite.com/services/rest`, the base of every service. */
export function restBaseUrl(accountId: string): string {
  return `https://${accountHostLabel(accountId)}.suitetalk.api.netsuite.com/services/rest`;
}
