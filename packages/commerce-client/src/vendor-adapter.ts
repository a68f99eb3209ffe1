import type { VendorAdapter, VendorErrorInfo } from '@plumbline/client-core';
import { formatMagentoMessage } from './magento-message.js';

type Parameters = unknown[] | Record<string, unknown> | undefined;

interface MagentoErrorShape {
  message?: unknown;
  parameters?: Parameters;
  errors?: { message?: unknown; parameters?: Parameters }[];
  code?: unknown;
}

/**
 * Magento's error body `{message, parameters?, errors?, code?, trace?}` as client-core
 * VendorErrorInfo: the message (and each of `errors[]`) with its `%1`/`%name` placeholders
 * substituted. `trace` is never copied into the error (it can be long and internal).
 */
export function parseMagentoError(bodyText: string): VendorErrorInfo {
  let body: MagentoErrorShape;
  try {
    body = JSON.parse(bodyText) as MagentoErrorShape;
  } catch {
    const text = bodyText.trim();
    return text ? { vendorMessage: text.slice(0, 300) } : {};
  }
  if (!body || typeof body !== 'object') return {};
  const info: VendorErrorInfo = {};
  if (typeof body.message === 'string') {
    info.vendorMessage = formatMagentoMessage(body.message, body.parameters);
  }
  if (typeof body.code === 'number' || typeof body.code === 'string')
    info.vendorCode = String(body.code);
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    const details = body.errors.map((e) =>
      typeof e?.message === 'string' ? formatMagentoMessage(e.message, e.parameters) : e,
    );
    info.details = details;
    const texts = details.filter((d): d is string => typeof d === 'string');
    if (texts.length > 0) {
      info.vendorMessage = info.vendorMessage
        ? `${info.vendorMessage} ${texts.join(' ')}`
        : texts.join(' ');
    }
  }
  return info;
}

/** How the transport reads Adobe Commerce answers. */
export const commerceVendorAdapter: VendorAdapter = {
  name: 'commerce',
  parseError: (_response, bodyText) => parseMagentoError(bodyText),
  requestIdHeaders: ['x-request-id', 'x-magento-request-id'],
};
