import { describe, expect, it } from 'vitest';
import { CSV_NULL, CsvParser, csvRecords, csvValue, encodeCsvRow, parseCsv } from './csv.js';

describe('CSV (RFC 4180, Bulk API 2.0 conventions)', () => {
  it('quotes only fields with comma, quote, CR or LF and doubles quotes', () => {
    expect(encodeCsvRow(['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\r', ''])).toBe(
      'plain,"a,b","say ""hi""","two\nlines","cr\r",',
    );
  });

  it('writes #N/A for null and nothing for undefined', () => {
    expect(csvValue(null)).toBe(CSV_NULL);
    expect(csvValue(undefined)).toBe('');
    expect(csvValue(12.5)).toBe('12.5');
    expect(csvValue(false)).toBe('false');
    expect(csvValue(new Date('2024-01-02T03:04:05.000Z'))).toBe('2024-01-02T03:04:05.000Z');
  });

  it('round-trips tricky values, across any chunk boundary, with LF or CRLF', () => {
    const rows = [
      ['Name', 'Note'],
      ['a,b', 'say "hi"'],
      ['multi\nline', ''],
      ['"', '""'],
    ];
    const text = `${rows.map(encodeCsvRow).join('\r\n')}\r\n`;
    expect(parseCsv(text)).toEqual(rows);
    for (let size = 1; size < 8; size++) {
      const parser = new CsvParser();
      const out: string[][] = [];
      for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
      out.push(...parser.end());
      expect(out).toEqual(rows);
    }
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('streams records keyed by the header', async () => {
    const body = new Response('"Id","Name"\n"1","x,y"\n"2",""\n').body;
    const out = [];
    for await (const record of csvRecords(body)) out.push(record);
    expect(out).toEqual([
      { Id: '1', Name: 'x,y' },
      { Id: '2', Name: '' },
    ]);
  });
});
