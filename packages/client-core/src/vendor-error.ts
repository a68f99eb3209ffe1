import type { VendorErrorInfo } from './errors.js';

/** Request id headers looked at when the vendor adapter names none. */
export const DEFAULT_REQUEST_ID_HEADERS = [
  'x-request-id',
  'x-correlation-id',
  'request-id',
  'x-amzn-requestid',
  'x-ms-request-id',
];

function str(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function fromObject(o: Record<string, unknown>): VendorErrorInfo {
  const info: VendorErrorInfo = {};
  const nested = o.error;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
    Object.assign(info, fromObject(nested as Record<string, unknown>));
  }
  // OAuth 2.0 (RFC 6749 section 5.2): { error, error_description }
  const code = str(o.errorCode) ?? str(o.code) ?? str(o['o:errorCode']) ?? str(o.error);
  const message =
    str(o.message) ??
    str(o.error_description) ??
    str(o.detail) ??
    str(o.title) ??
    str(o.errorMessage) ??
    str(o.error_message);
  if (code !== undefined && info.vendorCode === undefined) info.vendorCode = code;
  if (message !== undefined && info.vendorMessage === undefined) info.vendorMessage = message;
  const details = o['o:errorDetails'] ?? o.errors ?? o.details;
  if (Array.isArray(details) && details.length > 0) {
    info.details = details;
    const first = details[0];
    if (first && typeof first === 'object') {
      const inner = fromObject(first as Record<string, unknown>);
      info.vendorCode ??= inner.vendorCode;
      info.vendorMessage ??= inner.vendorMessage;
    }
  }
  return info;
}

/**
 * A best-effort parser for common JSON error shapes: `{ message }`, `{ error: { code, message } }`,
 * OAuth `{ error, error_description }`, arrays of `{ errorCode, message }`, `{ 'o:errorDetails' }`.
 * Plain text bodies become the message (first 300 characters).
 */
export function parseVendorErrorBody(bodyText: string): VendorErrorInfo {
  const text = bodyText.trim();
  if (text === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) {
      const first = parsed[0];
      const info =
        first && typeof first === 'object' ? fromObject(first as Record<string, unknown>) : {};
      return { ...info, details: parsed };
    }
    if (parsed && typeof parsed === 'object') return fromObject(parsed as Record<string, unknown>);
    return {};
  } catch {
    if (text.startsWith('<')) return {};
    return { vendorMessage: text.slice(0, 300) };
  }
}

/** Drops undefined fields so that spreading never overwrites with undefined. */
export function compactInfo(info: VendorErrorInfo): VendorErrorInfo {
  const out: VendorErrorInfo = {};
  if (info.vendorCode !== undefined) out.vendorCode = info.vendorCode;
  if (info.vendorMessage !== undefined) out.vendorMessage = info.vendorMessage;
  if (info.requestId !== undefined) out.requestId = info.requestId;
  if (info.details !== undefined) out.details = info.details;
  return out;
}
