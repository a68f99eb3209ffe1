import type { VendorAdapter, VendorErrorInfo } from '@plumbline/client-core';

/** One entry of NetSuite's `o:errorDetails`. */
export interface NetSuiteErrorDetail {
  detail: string;
  'o:errorCode'?: string;
  'o:errorPath'?: string;
  'o:errorQueryParam'?: string;
  'o:errorHeader'?: string;
  'o:errorUrl'?: string;
  /** The name Oracle's help gives the URL-path member; live answers use `o:errorUrl`. */
  'o:urlPath'?: string;
  [key: string]: unknown;
}

/** One `o:errorDetails` entry with plain names: what failed and where. */
export interface NetSuiteErrorEntry {
  /** `o:errorCode`, e.g. `USER_ERROR`, `INVALID_PARAMETER`, `NONEXISTENT_ID`. */
  code?: string;
  detail: string;
  /** `o:errorPath`: the body field, e.g. `entity` or `item.items[0].quantity`. */
  path?: string;
  /** `o:errorUrl` (or `o:urlPath`): the URL path that failed. */
  url?: string;
  /** `o:errorQueryParam`, e.g. `q`. */
  queryParam?: string;
  /** `o:errorHeader`, e.g. `Prefer`. */
  header?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function entry(raw: unknown): NetSuiteErrorEntry | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const d = raw as Record<string, unknown>;
  const detail = text(d.detail) ?? text(d.title);
  if (detail === undefined) return undefined;
  const out: NetSuiteErrorEntry = { detail };
  const code = text(d['o:errorCode']);
  const path = text(d['o:errorPath']);
  const url = text(d['o:errorUrl']) ?? text(d['o:urlPath']);
  const queryParam = text(d['o:errorQueryParam']);
  const header = text(d['o:errorHeader']);
  if (code !== undefined) out.code = code;
  if (path !== undefined) out.path = path;
  if (url !== undefined) out.url = url;
  if (queryParam !== undefined) out.queryParam = queryParam;
  if (header !== undefined) out.header = header;
  return out;
}

/**
 * The entries of a NetSuite error, with plain names (`code`, `detail`, `path`, `url`,
 * `queryParam`, `header`). Takes the error body (text or parsed) or a thrown `HttpError`, whose
 * `details` hold the body's `o:errorDetails`. Anything else gives an empty list.
 */
export function netSuiteErrorDetails(source: unknown): NetSuiteErrorEntry[] {
  let body: unknown = source;
  if (typeof source === 'string') {
    try {
      body = JSON.parse(source);
    } catch {
      return [];
    }
  }
  if (!body || typeof body !== 'object') return [];
  const o = body as Record<string, unknown>;
  const list = Array.isArray(o['o:errorDetails'])
    ? o['o:errorDetails']
    : Array.isArray(o.details)
      ? o.details
      : typeof o.detail === 'string'
        ? [o]
        : [];
  return list.map(entry).filter((e): e is NetSuiteErrorEntry => e !== undefined);
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
    // The first well-formed entry speaks for the error; malformed ones are kept in details.
    const first = (details.find((d) => d && typeof d === 'object') ??
      {}) as Partial<NetSuiteErrorDetail>;
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
  // A single error without o:errorDetails (seen from some RESTlet and gateway answers).
  if (typeof o.detail === 'string' || typeof o['o:errorCode'] === 'string') {
    return {
      ...(typeof o['o:errorCode'] === 'string' ? { vendorCode: o['o:errorCode'] } : {}),
      ...(typeof o.detail === 'string' ? { vendorMessage: o.detail } : {}),
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
  name: 'netsuite',
  parseError: (_response, bodyText) => parseNetSuiteError(bodyText),
  isRetryable: (response, info) => (isGovernanceRefusal(response.status, info) ? true : undefined),
  isRateLimit: (response, info) => (isGovernanceRefusal(response.status, info) ? true : undefined),
  requestIdHeaders: ['x-n-operationid'],
};
