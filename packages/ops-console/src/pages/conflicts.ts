import { ConsoleInputError, type Context, intParam, type Page, showValue } from '../context.js';
import { href, html } from '../html.js';

/** The most decisions one page view reads from the log before filtering by rule and paging. */
export const CONFLICT_SCAN_LIMIT = 5_000;

function timeParam(url: URL, name: string): Date | undefined {
  const text = url.searchParams.get(name);
  if (text === null || text === '') return undefined;
  // `datetime-local` inputs send no zone: read them as UTC, as every time on the page is.
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(date.getTime()))
    throw new ConsoleInputError(name, `must be an ISO-8601 time, got ${text}`);
  return date;
}

export async function conflictsPage(context: Context): Promise<Page> {
  const heading = 'Conflict log';
  const conflicts = context.options.conflicts;
  if (!conflicts || conflicts.entities.length === 0) {
    return { heading, body: html`<p class="muted">No conflict log is configured.</p>` };
  }
  const { url } = context;
  const entity = url.searchParams.get('entity') || conflicts.entities[0]!;
  if (!conflicts.entities.includes(entity))
    throw new ConsoleInputError(
      'entity',
      `is not one of ${conflicts.entities.join(', ')}: ${entity}`,
    );
  const key = url.searchParams.get('key') || undefined;
  const rule = url.searchParams.get('rule') || undefined;
  const from = timeParam(url, 'from');
  const to = timeParam(url, 'to');
  const offset = intParam(url, 'offset', CONFLICT_SCAN_LIMIT);
  const size = context.pageSize;
  const scanned = await conflicts.log.query({
    entity,
    ...(key ? { key } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    limit: CONFLICT_SCAN_LIMIT,
  });
  const matching = rule ? scanned.filter((e) => e.rule === rule) : scanned;
  const page = matching.slice(offset, offset + size);
  const query = {
    entity,
    key,
    rule,
    from: url.searchParams.get('from') ?? undefined,
    to: url.searchParams.get('to') ?? undefined,
  };
  const options = conflicts.entities.map(
    (e) => html`<option value="${e}"${e === entity ? html` selected` : ''}>${e}</option>`,
  );
  const filters = html`<form class="filters" method="get" action="${context.base}/conflicts">
<label>Entity<select name="entity">${options}</select></label>
<label>Key<input name="key" value="${key ?? ''}"></label>
<label>Rule<input name="rule" value="${rule ?? ''}" placeholder="e.g. last-writer-wins"></label>
<label>From (UTC)<input name="from" value="${query.from ?? ''}" placeholder="2026-01-31T00:00:00Z"></label>
<label>To (UTC)<input name="to" value="${query.to ?? ''}"></label>
<button type="submit">Filter</button>
</form>`;
  const rows = page.map(
    (e) => html`<tr>
<td>${e.at}</td><td>${e.key}</td><td>${e.field}</td>
<td>${e.left.system}<pre>${showValue(e.left.value, 2_000)}</pre></td>
<td>${e.right.system}<pre>${showValue(e.right.value, 2_000)}</pre></td>
<td>${e.winner}<pre>${showValue(e.value, 2_000)}</pre></td>
<td>${e.rule}</td>
</tr>`,
  );
  const pager = html`<p class="pager">${offset > 0 ? html`<a href="${href(`${context.base}/conflicts`, { ...query, offset: Math.max(0, offset - size) })}">← Previous page</a>` : ''}${matching.length > offset + size ? html`<a href="${href(`${context.base}/conflicts`, { ...query, offset: offset + size })}" rel="next">Next page →</a>` : ''}</p>`;
  const capped =
    scanned.length === CONFLICT_SCAN_LIMIT
      ? html`<p class="muted">The first ${CONFLICT_SCAN_LIMIT} decisions of this range were read; narrow the time range to see later ones.</p>`
      : '';
  return {
    heading,
    body: html`${filters}<p class="muted">${matching.length} decision(s), oldest first.</p>${capped}
${page.length === 0 ? html`<p>No decisions match.</p>` : html`<table><thead><tr><th>At</th><th>Key</th><th>Field</th><th>Left</th><th>Right</th><th>Winner / kept</th><th>Rule</th></tr></thead><tbody>${rows}</tbody></table>`}
${pager}`,
  };
}
