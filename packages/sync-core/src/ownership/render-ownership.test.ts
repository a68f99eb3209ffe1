import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors.js';
import { defineOwnership } from './ownership.js';
import { renderOwnership } from './render-ownership.js';

/** Splits a GFM table row into raw cells the way GitHub does: a `\` escapes the next character. */
function splitRow(line: string): string[] {
  expect(line.startsWith('| ') && line.endsWith(' |')).toBe(true);
  const cells: string[] = [];
  let current = '';
  for (let i = 1; i < line.length - 1; i += 1) {
    const c = line[i] as string;
    if (c === '\\') {
      current += c + (line[i + 1] ?? '');
      i += 1;
    } else if (c === '|') {
      cells.push(current.trim());
      current = '';
    } else current += c;
  }
  cells.push(current.trim());
  return cells;
}

const decodeEntities = (text: string): string =>
  text
    .replace(/<br>/g, '\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** What a reader sees in a markdown cell: backslash escapes and entities undone. */
const markdownText = (cell: string): string =>
  decodeEntities(cell.replace(/\\([\\`*_[\]|~#!])/g, '$1'));

/** The table a reader sees: one array of cell texts per body row. */
function readMarkdown(table: string): string[][] {
  const lines = table.trimEnd().split('\n');
  expect(lines[0]).toBe('| entity | field | owner | direction |');
  expect(lines[1]).toBe('| --- | --- | --- | --- |');
  return lines.slice(2).map((line) => {
    const cells = splitRow(line);
    expect(cells).toHaveLength(4);
    return cells.map(markdownText);
  });
}

function readHtml(table: string): string[][] {
  const rows = [...table.matchAll(/<tr>(.*?)<\/tr>/g)].slice(1);
  return rows.map((row) =>
    [...(row[1] as string).matchAll(/<td>(.*?)<\/td>/g)].map((cell) =>
      decodeEntities((cell[1] as string).replace(/^<em>(.*)<\/em>$/, '*$1*')),
    ),
  );
}

// The README's example: towards the ERP Commerce owns the price, towards anything else the ERP.
const ownership = defineOwnership({
  systems: ['commerce', 'erp', 'crm'],
  entities: {
    product: {
      default: 'erp',
      fields: { description: 'commerce' },
      directions: { erp: { price: 'commerce' } },
    },
    customer: { default: 'erp', fields: { segment: 'crm', email: 'commerce' } },
  },
});

const expected = [
  ['customer', 'email', 'commerce', 'commerce → erp, crm'],
  ['customer', 'segment', 'crm', 'crm → commerce, erp'],
  ['customer', '*every other field*', 'erp', 'erp → commerce, crm'],
  ['product', 'description', 'commerce', 'commerce → erp, crm'],
  ['product', 'price', 'erp', 'erp → commerce, crm'],
  ['product', 'price', 'commerce', 'commerce → erp'],
  ['product', '*every other field*', 'erp', 'erp → commerce, crm'],
];

describe('renderOwnership', () => {
  it('renders entity, field, owner and direction, per-direction overrides as their own rows', () => {
    const markdown = renderOwnership(ownership, { format: 'markdown' });
    expect(readMarkdown(markdown)).toEqual(expected);
    expect(markdown).toContain('| customer | *every other field* | erp | erp → commerce, crm |');
    expect(readHtml(renderOwnership(ownership, { format: 'html' }))).toEqual(expected);
  });

  it('renders the same table whatever order the map was declared in', () => {
    const shuffled = defineOwnership({
      systems: ['commerce', 'erp', 'crm'],
      entities: {
        customer: { default: 'erp', fields: { email: 'commerce', segment: 'crm' } },
        product: {
          directions: { erp: { price: 'commerce' } },
          fields: { description: 'commerce' },
          default: 'erp',
        },
      },
    });
    for (const format of ['markdown', 'html'] as const) {
      expect(renderOwnership(shuffled, { format })).toBe(renderOwnership(ownership, { format }));
    }
  });

  it('shows a target that keeps its own value, and a field no direction moves', () => {
    const kept = defineOwnership({
      systems: ['erp', 'crm'],
      entities: { account: { default: 'erp', directions: { crm: { rating: 'crm' } } } },
    });
    expect(readMarkdown(renderOwnership(kept, { format: 'markdown' }))).toEqual([
      ['account', 'rating', 'erp', 'none (kept in erp)'],
      ['account', 'rating', 'crm', 'none (kept in crm)'],
      ['account', '*every other field*', 'erp', 'erp → crm'],
    ]);
  });

  it('escapes hostile system, entity and field names so they neither break the table nor inject HTML', () => {
    const systems = ['a|b', '<script>alert(1)</script>', 'tick`s', 'two\nlines', 'end\\'] as const;
    const hostile = defineOwnership({
      systems,
      entities: {
        'x|<img src=x onerror=alert(1)>': {
          default: 'end\\',
          fields: {
            'pipe|field': 'a|b',
            '`code`': 'tick`s',
            'new\r\nline': 'two\nlines',
            '<script>': '<script>alert(1)</script>',
            '*bold* _it_ [link](javascript:x) &amp;': 'a|b',
            ['__proto__']: 'end\\',
            'trailing\\': 'a|b',
          },
        },
      },
    });
    const entity = 'x|<img src=x onerror=alert(1)>';
    const others = (owner: string) => systems.filter((s) => s !== owner).join(', ');
    const row = (field: string, owner: string) => [
      entity,
      field,
      owner,
      `${owner} → ${others(owner)}`,
    ];
    const want = [
      row('*bold* _it_ [link](javascript:x) &amp;', 'a|b'),
      row('<script>', '<script>alert(1)</script>'),
      row('__proto__', 'end\\'),
      row('`code`', 'tick`s'),
      row('new\r\nline', 'two\nlines'),
      row('pipe|field', 'a|b'),
      row('trailing\\', 'a|b'),
    ].map((cells) => cells.map((c) => c.replace(/\r\n/g, '\n')));

    const markdown = renderOwnership(hostile, { format: 'markdown' });
    expect(markdown.split('\n')).toHaveLength(2 + want.length + 1 + 1);
    expect(markdown).not.toMatch(/<(script|img)/i);
    expect(markdown).not.toMatch(/(^|[^\\])`/);
    expect(readMarkdown(markdown)).toEqual([
      ...want,
      [entity, '*every other field*', 'end\\', `end\\ → ${others('end\\')}`],
    ]);

    const html = renderOwnership(hostile, { format: 'html' });
    expect(html).not.toMatch(/<(script|img)/i);
    expect(html.match(/<tr>/g)).toHaveLength(1 + want.length + 1);
    expect(readHtml(html)).toEqual([
      ...want,
      [entity, '*every other field*', 'end\\', `end\\ → ${others('end\\')}`],
    ]);
  });

  it('refuses an unknown format with a typed error naming the option', () => {
    const bad = () => renderOwnership(ownership, { format: 'pdf' } as never);
    expect(bad).toThrow(InvalidOptionError);
    expect(bad).toThrow(/"format" must be "markdown" or "html", got pdf/);
  });

  it('describe() returns a copy: changing it changes neither the map nor the next render', () => {
    const before = renderOwnership(ownership, { format: 'markdown' });
    const described = ownership.describe();
    (described.entities.customer as { default: string }).default = 'crm';
    described.systems.pop();
    expect(ownership.ownerOf('customer', 'name')).toBe('erp');
    expect(renderOwnership(ownership, { format: 'markdown' })).toBe(before);
  });
});
