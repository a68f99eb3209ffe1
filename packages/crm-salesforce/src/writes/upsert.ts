import { ConfigError, IDEMPOTENT_HEADER } from '@plumbline/client-core';
import type { SalesforceClient } from '../client.js';
import { SalesforceApiError, UpsertMultipleMatchesError } from '../errors.js';
import { pathSegment } from '../path.js';

export interface UpsertResult {
  /** Record id (absent only for API versions before 46.0, which answer 204 on update). */
  id?: string;
  created: boolean;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Upsert one record by external id: `PATCH sobjects/{type}/{field}/{value}`.
 * 201 -> created, 200 (or 204 before v46) -> updated, 300 -> UpsertMultipleMatchesError.
 * Marked safe to retry: repeating an upsert by external id gives the same record.
 */
export async function upsert(
  client: SalesforceClient,
  sobject: string,
  externalIdField: string,
  externalIdValue: string | number,
  record: Record<string, unknown>,
  options: { signal?: AbortSignal } = {},
): Promise<UpsertResult> {
  if (!NAME.test(sobject))
    throw new ConfigError(
      'sobject',
      `expected an sObject API name, got ${JSON.stringify(sobject)}`,
    );
  if (!NAME.test(externalIdField)) {
    throw new ConfigError(
      'externalIdField',
      `expected a field API name, got ${JSON.stringify(externalIdField)}`,
    );
  }
  pathSegment('externalIdValue', externalIdValue);
  const value = String(externalIdValue);
  const body: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(record)) {
    if (key === 'attributes' || key.toLowerCase() === externalIdField.toLowerCase()) continue;
    body[key] = v;
  }
  try {
    const { data, error, response } = await client.PATCH(
      '/sobjects/{sobject}/{externalIdField}/{externalIdValue}',
      {
        params: { path: { sobject, externalIdField, externalIdValue: value } },
        body,
        headers: { [IDEMPOTENT_HEADER]: '1' },
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    if (response.status === 300) {
      const body: unknown = error;
      const urls = Array.isArray(body) ? body.filter((d) => typeof d === 'string') : [];
      throw new UpsertMultipleMatchesError(sobject, externalIdField, value, urls);
    }
    if (response.status === 204 || !data) return { created: false };
    if (Array.isArray(data))
      throw new UpsertMultipleMatchesError(sobject, externalIdField, value, data as string[]);
    return { id: data.id, created: response.status === 201 || data.created === true };
  } catch (error) {
    if (error instanceof SalesforceApiError && error.status === 300) {
      const urls = (error.details ?? []).filter((d): d is string => typeof d === 'string');
      throw new UpsertMultipleMatchesError(sobject, externalIdField, value, urls);
    }
    throw error;
  }
}
