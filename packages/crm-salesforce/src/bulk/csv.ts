/**
 * CSV as Bulk API 2.0 reads and writes it: RFC 4180, comma delimiter, LF line ending,
 * a field is quoted when it holds a comma, a double quote, CR or LF (quotes doubled),
 * `#N/A` sets a field to null and an empty field leaves it unchanged.
 */

export const CSV_NULL = '#N/A';

const BOM = '\uFEFF';

const NEEDS_QUOTES = /[",\r\n]/;

/** Encodes one field value (already a string) per RFC 4180. */
export function encodeCsvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Turns a record value into the text Bulk API 2.0 expects: null -> #N/A, undefined -> empty. */
export function csvValue(value: unknown): string {
  if (value === null) return CSV_NULL;
  if (value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** One CSV line (without the line ending). */
export function encodeCsvRow(values: readonly string[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += ',';
    line += encodeCsvField(values[i] ?? '');
  }
  return line;
}

/**
 * Incremental RFC 4180 parser: feed text chunks, get complete rows back. Quoted fields may
 * span chunks and lines; CRLF and LF both end a row.
 */
export class CsvParser {
  private field = '';
  private row: string[] = [];
  private inQuotes = false;
  private quotePending = false;
  private sawCr = false;
  private rowStarted = false;
  private started = false;

  push(input: string): string[][] {
    const rows: string[][] = [];
    let chunk = input;
    if (!this.started && chunk.length > 0) {
      // a UTF-8 byte order mark before the first header is not part of the first column's name
      this.started = true;
      if (chunk.startsWith(BOM)) chunk = chunk.slice(1);
    }
    let field = this.field;
    const len = chunk.length;
    for (let i = 0; i < len; i++) {
      const ch = chunk.charCodeAt(i);
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (ch === 34) {
            field += '"';
            continue;
          }
          this.inQuotes = false;
          // fall through to unquoted handling of ch
        } else if (ch === 34) {
          this.quotePending = true;
          continue;
        } else {
          // fast path: copy up to the next quote
          const next = chunk.indexOf('"', i);
          const end = next === -1 ? len : next;
          field += chunk.slice(i, end);
          i = end - 1;
          continue;
        }
      }
      if (this.sawCr) {
        this.sawCr = false;
        if (ch === 10) continue;
      }
      if (ch === 44) {
        this.row.push(field);
        field = '';
        this.rowStarted = true;
      } else if (ch === 10 || ch === 13) {
        if (ch === 13) this.sawCr = true;
        this.row.push(field);
        field = '';
        rows.push(this.row);
        this.row = [];
        this.rowStarted = false;
      } else if (ch === 34 && field.length === 0) {
        this.inQuotes = true;
        this.rowStarted = true;
      } else {
        // fast path: copy up to the next delimiter
        let end = i + 1;
        while (end < len) {
          const c = chunk.charCodeAt(end);
          if (c === 44 || c === 10 || c === 13 || c === 34) break;
          end++;
        }
        field += chunk.slice(i, end);
        this.rowStarted = true;
        i = end - 1;
      }
    }
    this.field = field;
    return rows;
  }

  /** Flushes the last row when the text did not end with a line break. */
  end(): string[][] {
    if (this.quotePending) {
      this.quotePending = false;
      this.inQuotes = false;
    }
    if (this.rowStarted || this.field.length > 0 || this.row.length > 0) {
      this.row.push(this.field);
      const row = this.row;
      this.row = [];
      this.field = '';
      this.rowStarted = false;
      return [row];
    }
    return [];
  }
}

/** Parses a whole CSV text into rows. */
export function parseCsv(text: string): string[][] {
  const parser = new CsvParser();
  const rows = parser.push(text);
  rows.push(...parser.end());
  return rows;
}

/** Reads a CSV body as objects keyed by the header row, one page at a time (memory flat). */
export async function* csvRecords(
  body: ReadableStream<Uint8Array> | null,
): AsyncGenerator<Record<string, string>> {
  if (!body) return;
  const parser = new CsvParser();
  const decoder = new TextDecoder();
  let header: string[] | undefined;
  const toRecord = (row: string[]): Record<string, string> => {
    const record: Record<string, string> = {};
    const cols = header ?? [];
    for (let i = 0; i < cols.length; i++) record[cols[i] as string] = row[i] ?? '';
    return record;
  };
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const rows = done
        ? [...parser.push(decoder.decode()), ...parser.end()]
        : parser.push(decoder.decode(value, { stream: true }));
      for (const row of rows) {
        if (!header) {
          // blank lines before the header carry nothing
          if (row.length === 1 && row[0] === '') continue;
          header = row;
        } else if (!(row.length === 1 && row[0] === '' && header.length > 1)) yield toRecord(row);
      }
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}
