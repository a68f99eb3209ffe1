import { InvalidOptionError } from '../errors.js';
import type { Ownership, OwnershipDescription } from './ownership.js';

export interface RenderOwnershipOptions {
  /** `markdown` for a README (a GitHub table), `html` for a page (a `<table>`). */
  format: 'markdown' | 'html';
}

/** One row of the source-of-truth matrix: who owns a field and where its values go. */
interface MatrixRow {
  entity: string;
  /** `undefined` for the entity's default row (every field not listed). */
  field: string | undefined;
  owner: string;
  /** The systems the owner's value is written to, in declared system order. */
  targets: string[];
}

const HEADERS = ['entity', 'field', 'owner', 'direction'] as const;
const EVERY_OTHER_FIELD = 'every other field';

/** Code-unit order: the same on every machine and locale. */
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The rows of one field: the owner without a sync target first, then every owner a
 * per-direction override names, each with the targets it writes to.
 */
function fieldRows(
  description: OwnershipDescription<string>,
  entity: string,
  field: string,
): MatrixRow[] {
  const owned = description.entities[entity];
  if (owned === undefined) return [];
  const fields = owned.fields ?? {};
  const base = Object.hasOwn(fields, field) ? (fields[field] as string) : owned.default;
  const targetsOf = new Map<string, string[]>([[base, []]]);
  for (const target of description.systems) {
    const directed = owned.directions?.[target];
    const owner =
      directed !== undefined && Object.hasOwn(directed, field) ? (directed[field] as string) : base;
    const targets = targetsOf.get(owner) ?? [];
    targetsOf.set(owner, targets);
    if (owner !== target) targets.push(target);
  }
  return [...targetsOf].map(([owner, targets]) => ({ entity, field, owner, targets }));
}

/** The matrix: entities and fields sorted by name, each entity's default row last. */
function matrixRows(description: OwnershipDescription<string>): MatrixRow[] {
  const rows: MatrixRow[] = [];
  for (const entity of Object.keys(description.entities).sort(byName)) {
    const owned = description.entities[entity];
    if (owned === undefined) continue;
    const named = new Set(Object.keys(owned.fields ?? {}));
    for (const overrides of Object.values(owned.directions ?? {})) {
      for (const field of Object.keys(overrides ?? {})) named.add(field);
    }
    for (const field of [...named].sort(byName))
      rows.push(...fieldRows(description, entity, field));
    const others = description.systems.filter((system) => system !== owned.default);
    rows.push({ entity, field: undefined, owner: owned.default, targets: others });
  }
  return rows;
}

const direction = (row: MatrixRow): string =>
  row.targets.length === 0
    ? `none (kept in ${row.owner})`
    : `${row.owner} → ${row.targets.join(', ')}`;

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as HTML: markup characters as entities, line breaks as `<br>`. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string).replace(/\r\n|\r|\n/g, '<br>');
}

/**
 * Text as one markdown table cell: HTML characters as entities (no raw HTML gets through),
 * markdown punctuation backslash-escaped (a `|` cannot split the cell, a backtick cannot open
 * code, a trailing `\` cannot eat the cell separator), line breaks as `<br>`.
 */
function escapeMarkdownCell(text: string): string {
  return escapeHtml(text.replace(/[\\`*_[\]|~#!]/g, (c) => `\\${c}`));
}

function renderMarkdown(rows: MatrixRow[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const body = rows.map((row) =>
    line([
      escapeMarkdownCell(row.entity),
      row.field === undefined ? `*${EVERY_OTHER_FIELD}*` : escapeMarkdownCell(row.field),
      escapeMarkdownCell(row.owner),
      escapeMarkdownCell(direction(row)),
    ]),
  );
  return `${[line(HEADERS), line(HEADERS.map(() => '---')), ...body].join('\n')}\n`;
}

function renderHtml(rows: MatrixRow[]): string {
  const cell = (tag: 'th' | 'td', html: string): string => `<${tag}>${html}</${tag}>`;
  const body = rows.map(
    (row) =>
      `    <tr>${[
        cell('td', escapeHtml(row.entity)),
        cell(
          'td',
          row.field === undefined ? `<em>${EVERY_OTHER_FIELD}</em>` : escapeHtml(row.field),
        ),
        cell('td', escapeHtml(row.owner)),
        cell('td', escapeHtml(direction(row))),
      ].join('')}</tr>`,
  );
  return [
    '<table>',
    `  <thead><tr>${HEADERS.map((h) => cell('th', h)).join('')}</tr></thead>`,
    '  <tbody>',
    ...body,
    '  </tbody>',
    '</table>',
    '',
  ].join('\n');
}

/**
 * The source-of-truth matrix of an ownership map, as the table people review: one row per
 * entity, field and owner, with the direction (which system's value is written to which
 * systems). Entities and fields are sorted by name; each entity ends with its default row
 * ("every other field"). Names are escaped, so no system, entity or field name can break the
 * table or inject markup.
 */
export function renderOwnership(
  ownership: Pick<Ownership<string, Record<string, object>>, 'describe'>,
  options: RenderOwnershipOptions,
): string {
  const format = (options as Partial<RenderOwnershipOptions> | undefined)?.format;
  if (format !== 'markdown' && format !== 'html') {
    throw new InvalidOptionError('format', `must be "markdown" or "html", got ${String(format)}`);
  }
  const rows = matrixRows(ownership.describe());
  return format === 'markdown' ? renderMarkdown(rows) : renderHtml(rows);
}
