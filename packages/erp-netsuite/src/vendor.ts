import type { VendorAdapter, VendorErrorInfo } from '@plumbline/client-core';

/** One entry of NetSuite's `o:errorDetails`. */
export interface NetSuiteErrorDetail {
  detail: string;
  'o:errorCode'?: string;
  'o:errorPath'?: string;
  'o:errorQueryParam'?: string;
  'o:errorHeader'?: string;
  'o:errorUrl'?: string;
  [key: string]: unknown;
}

/** The concurrency-governance refusals: the request was refused before NetSuite did any work. */
const GOVERNANCE: [status: number, code: string][] = [
  [429, 'CONCURRENCY_LIMIT_EXCEEDED'],
  [400, 'SSS_REQUEST_LIMIT_EXCEEDED'],
];

function isGovernanceRefusal(status: number, info: VendorErrorInfo): boolean {
  return GOVERNANCE.some(([s, code]) => s === status && info.vendorCode === code);
}

/**
 * Parses NetSuite's error body: `{ type, title, status, o:errorDetails: [{ detail, o:errorCode,
 * o:errorPath, ... }] }`. The code is the first `o:errorCode`, the message the first `detail`, and
 * every entry is kept in `details`. OAuth 2.0 token errors (`{ error, error_description }`) too.
 */
export function parseNetSuiteError(bodyText: string): VendorErrorInfo {
  const text = bodyText.trim();
  if (text === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { vendorMessage: text.slice(0, 300) };
  }
  if (!body || typeof body !== 'object') return {};
  const o = body as Record<string, unknown>;
  const details = o['o:errorDetails'];
  if (Array.isArray(details) && details.length > 0) {
    const first = details[0] as Partial<NetSuiteErrorDetail>;
    const info: VendorErrorInfo = { details };
    if (typeof first['o:errorCode'] === 'string') info.vendorCode = first['o:errorCode'];
    if (typeof first.detail === 'string') info.vendorMessage = first.detail;
    return info;
  }
  if (typeof o.error === 'string') {
    return {
      vendorCode: o.error,
      ...(typeof o.error_description === 'string' ? { vendorMessage: o.error_description } : {}),
    };
  }
  if (typeof o.title === 'string') return { vendorMessage: o.title };
  return {};
}

/**
 * NetSuite's adapter for the client-core transport: its error body, and concurrency refusals
 * (429 CONCURRENCY_LIMIT_EXCEEDED, 400 SSS_REQUEST_LIMIT_EXCEEDED) treated as rate limits that are
 * retried with backoff, even for writes, because NetSuite refused them before doing any work.
 */
export const netSuiteVendorAdapter: VendorAdapter = {
  parseError: (_response, bodyText) => parseNetSuiteError(bodyText),
  isRetryable: (response, info) => (isGovernanceRefusal(response.status, info) ? true : undefined),
  isRateLimit: (response, info) => (isGovernanceRefusal(response.status, info) ? true : undefined),
  requestIdHeaders: ['x-n-operationid'],
};
