import {
  parseVendorErrorBody,
  type VendorAdapter,
  type VendorErrorInfo,
} from '@plumbline/client-core';
import { parseLimitInfo } from './limits.js';

/**
 * How Salesforce reports errors: REST bodies are `[{ message, errorCode, fields }]`, OAuth bodies
 * `{ error, error_description }`, upsert's 300 a list of matching record URLs.
 * REQUEST_LIMIT_EXCEEDED (403) is a rate limit and is not retried: the org's daily allocation or
 * its concurrent long-running request cap is spent, and repeating makes it worse.
 */
export const salesforceVendor: VendorAdapter = {
  name: 'salesforce',
  /** `Sforce-Limit-Info: api-usage=used/max` feeds the transport's API usage gauges. */
  apiUsage(response: Response) {
    return parseLimitInfo(response.headers.get('sforce-limit-info'));
  },
  parseError(_response: Response, bodyText: string): VendorErrorInfo {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bodyText);
    } catch {
      return parseVendorErrorBody(bodyText);
    }
    if (Array.isArray(parsed)) {
      if (parsed.every((item) => typeof item === 'string')) {
        return {
          vendorCode: 'MULTIPLE_CHOICES',
          vendorMessage: `${parsed.length} records match`,
          details: parsed,
        };
      }
      const first = parsed.find((item) => item && typeof item === 'object') as
        | { errorCode?: unknown; message?: unknown }
        | undefined;
      const info: VendorErrorInfo = { details: parsed };
      if (typeof first?.errorCode === 'string') info.vendorCode = first.errorCode;
      if (typeof first?.message === 'string') info.vendorMessage = first.message;
      return info;
    }
    return parseVendorErrorBody(bodyText);
  },
  isRateLimit(response, info) {
    if (info.vendorCode === 'REQUEST_LIMIT_EXCEEDED') return true;
    return response.status === 429 ? true : undefined;
  },
  isRetryable(_response, info) {
    if (info.vendorCode === 'REQUEST_LIMIT_EXCEEDED') return false;
    return undefined;
  },
  isUnauthorized(response, info) {
    if (response.status === 401) return true;
    return info.vendorCode === 'INVALID_SESSION_ID' ? true : undefined;
  },
};
