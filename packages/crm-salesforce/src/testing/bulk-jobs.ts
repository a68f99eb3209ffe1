import { CsvParser } from '../bulk/csv.js';
import type { PlannedQuery, SoqlEngine } from './soql-engine.js';
import { formatSfDateTime, type SObjectStore, type WriteOutcome } from './store.js';

export interface IngestJob {
  info: Record<string, unknown> & { id: string; state: string; object: string; operation: string };
  uploads: string[];
  polls: number;
  successful: string[];
  failed: string[];
  unprocessed: string[];
  header: string[];
}

export interface QueryJob {
  info: Record<string, unknown> & { id: string; state: string };
  /** The SOQL the job runs (not echoed in the job info, as Salesforce does not). */
  query: string;
  polls: number;
  plan?: PlannedQuery;
}

const quoteAll = (values: readonly string[]) =>
  values.map((v) => `"${v.replace(/"/g, '""')}"`).join(',');

/** Bulk API 2.0 error text: STATUS_CODE:message:field1,field2 -- */
function errorText(outcome: Extract<WriteOutcome, { ok: false }>): string {
  return outcome.errors
    .map((e) => `${e.statusCode}:${e.message}:${e.fields.join(',')} --`)
    .join(' ');
}

/** Runs an ingest job's rows against the store, filling the three result files. */
export function processIngestJob(job: IngestJob, store: SObjectStore): void {
  const { object, operation } = job.info;
  const externalIdFieldName = job.info.externalIdFieldName as string | undefined;
  let header: string[] | undefined;
  let processed = 0;
  let failed = 0;
  const handleRow = (row: string[]) => {
    if (!header) {
      header = row;
      job.header = row;
      return;
    }
    if (row.length === 1 && row[0] === '' && header.length > 1) return;
    const input: Record<string, unknown> = {};
    let id: string | undefined;
    for (let i = 0; i < header.length; i++) {
      const name = header[i] as string;
      const raw = row[i] ?? '';
      if (name.toLowerCase() === 'id') {
        id = raw;
        continue;
      }
      if (raw === '') continue;
      input[name] = raw === '#N/A' ? null : raw;
    }
    let outcome: WriteOutcome | { ok: false; multiple: string[] };
    switch (operation) {
      case 'insert':
        outcome = store.create(object, input);
        break;
      case 'update':
        outcome = id
          ? store.update(object, id, input)
          : {
              ok: false,
              errors: [
                {
                  statusCode: 'MISSING_ARGUMENT',
                  message: 'Id not specified in an update call',
                  fields: ['Id'],
                },
              ],
            };
        break;
      case 'upsert': {
        const field = externalIdFieldName ?? 'Id';
        const key = Object.keys(input).find((k) => k.toLowerCase() === field.toLowerCase());
        const value =
          field.toLowerCase() === 'id' ? id : key === undefined ? undefined : input[key];
        outcome = store.upsert(object, field, value, input);
        break;
      }
      default:
        outcome = id
          ? store.delete(object, id)
          : {
              ok: false,
              errors: [
                {
                  statusCode: 'MISSING_ARGUMENT',
                  message: 'Id not specified in a delete call',
                  fields: ['Id'],
                },
              ],
            };
    }
    processed++;
    if (outcome.ok) {
      job.successful.push(quoteAll([outcome.id, String(outcome.created), ...row]));
    } else {
      failed++;
      const text =
        'multiple' in outcome
          ? `DUPLICATE_EXTERNAL_ID:${externalIdFieldName}: more than one record found for external id field: ${outcome.multiple.join(', ')}:${externalIdFieldName} --`
          : errorText(outcome);
      // sf__Id names the record that failed: the row's own Id for updates and deletes
      const failedId =
        'id' in outcome && typeof outcome.id === 'string'
          ? outcome.id
          : operation === 'insert' || operation === 'upsert'
            ? ''
            : (id ?? '');
      job.failed.push(quoteAll([failedId, text, ...row]));
    }
  };
  const parser = new CsvParser();
  for (const upload of job.uploads) {
    // each upload carries its own header row
    header = undefined;
    for (const row of parser.push(upload)) handleRow(row);
    for (const row of parser.end()) handleRow(row);
  }
  job.uploads = [];
  job.info.numberRecordsProcessed = processed;
  job.info.numberRecordsFailed = failed;
  job.info.state = 'JobComplete';
  job.info.systemModstamp = formatSfDateTime(store.now());
  job.info.totalProcessingTime = 1;
}

export function resultCsv(job: IngestJob, kind: 'successful' | 'failed' | 'unprocessed'): string {
  const head =
    kind === 'successful'
      ? quoteAll(['sf__Id', 'sf__Created', ...job.header])
      : kind === 'failed'
        ? quoteAll(['sf__Id', 'sf__Error', ...job.header])
        : quoteAll(job.header);
  const lines =
    kind === 'successful' ? job.successful : kind === 'failed' ? job.failed : job.unprocessed;
  if (job.header.length === 0) return '';
  return `${head}\n${lines.length > 0 ? `${lines.join('\n')}\n` : ''}`;
}

/** One page of a query job's CSV results. */
export function queryResultPage(
  job: QueryJob,
  engine: SoqlEngine,
  offset: number,
  maxRecords: number,
): { csv: string; next: number | undefined; count: number } {
  const plan = job.plan as PlannedQuery;
  const rows = plan.rows.slice(offset, offset + maxRecords);
  const lines = [quoteAll(plan.fields.map((f) => f.display))];
  for (const r of rows) lines.push(quoteAll(engine.flat(plan, r)));
  const end = offset + rows.length;
  return {
    csv: `${lines.join('\n')}\n`,
    next: end < plan.rows.length ? end : undefined,
    count: rows.length,
  };
}
