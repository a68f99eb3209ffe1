import type { ReconcileKey } from '@plumbline/sync-core';
import {
  actionForm,
  ConsoleInputError,
  type Context,
  intParam,
  type Page,
  showValue,
} from '../context.js';
import { href, html } from '../html.js';

export async function reconciliationPage(context: Context): Promise<Page> {
  const heading = 'Last reconciliation';
  const last = await context.options.reconciliation?.last();
  if (!last) return { heading, body: html`<p class="muted">No reconciliation has run yet.</p>` };
  const { report } = last;
  const { stats } = report;
  const size = context.pageSize;
  const offset = intParam(context.url, 'offset', Math.max(0, report.missingRight.length));
  const canRedrive = context.options.reconciliation?.redrive !== undefined;
  const missing = report.missingRight.slice(offset, offset + size).map(
    (
      m,
    ) => html`<tr><td><code>${String(m.key)}</code></td><td><pre>${showValue(m.left, 2_000)}</pre></td>
<td>${canRedrive ? actionForm(context, '/reconciliation/redrive', { key: String(m.key) }, 'Re-drive') : ''}</td></tr>`,
  );
  const pager = html`<p class="pager">${offset > 0 ? html`<a href="${href(`${context.base}/reconciliation`, { offset: Math.max(0, offset - size) })}">← Previous page</a>` : ''}${report.missingRight.length > offset + size ? html`<a href="${href(`${context.base}/reconciliation`, { offset: offset + size })}" rel="next">Next page →</a>` : ''}</p>`;
  const missingLeft = report.missingLeft
    .slice(0, size)
    .map(
      (m) =>
        html`<tr><td><code>${String(m.key)}</code></td><td><pre>${showValue(m.right, 2_000)}</pre></td></tr>`,
    );
  const different = report.different
    .slice(0, size)
    .map(
      (d) =>
        html`<tr><td><code>${String(d.key)}</code></td><td>${d.differences.map(
          (f) =>
            html`<div><strong>${f.field}</strong>: ${showValue(f.left, 500)} ≠ ${showValue(f.right, 500)}</div>`,
        )}</td></tr>`,
    );
  const failures = report.redriveFailures
    .slice(0, size)
    .map(
      (f) => html`<tr><td><code>${String(f.key)}</code></td><td><pre>${f.error}</pre></td></tr>`,
    );
  const more = (shown: number, total: number) =>
    total > shown ? html`<p class="muted">${total - shown} more not shown.</p>` : '';
  return {
    heading,
    body: html`<p><strong>${last.name}</strong> at ${last.at.toISOString()}</p>
<table><thead><tr><th>Matched</th><th>Missing on the right</th><th>Missing on the left</th><th>Different</th><th>Re-driven during the run</th></tr></thead>
<tbody><tr><td>${stats.matched}</td><td>${stats.missingRight}</td><td>${stats.missingLeft}</td><td>${stats.different}</td><td>${report.redriven}</td></tr></tbody></table>
<h3>Missing on the right (${stats.missingRight})</h3>
${canRedrive && report.missingRight.length > 0 ? html`<p>${actionForm(context, '/reconciliation/redrive', { all: '1' }, `Re-drive all ${report.missingRight.length} missing`)}</p>` : ''}
${missing.length === 0 ? html`<p>None.</p>` : html`<table><thead><tr><th>Key</th><th>Left record</th><th>Actions</th></tr></thead><tbody>${missing}</tbody></table>`}
${pager}
<h3>Missing on the left (${stats.missingLeft})</h3>
${missingLeft.length === 0 ? html`<p>None.</p>` : html`<table><thead><tr><th>Key</th><th>Right record</th></tr></thead><tbody>${missingLeft}</tbody></table>`}${more(missingLeft.length, report.missingLeft.length)}
<h3>Different (${stats.different})</h3>
${different.length === 0 ? html`<p>None.</p>` : html`<table><thead><tr><th>Key</th><th>Differences (left ≠ right)</th></tr></thead><tbody>${different}</tbody></table>`}${more(different.length, report.different.length)}
${failures.length === 0 ? '' : html`<h3>Re-drive failures</h3><table><thead><tr><th>Key</th><th>Error</th></tr></thead><tbody>${failures}</tbody></table>`}`,
  };
}

/** Re-drives one key, or all, of those the last report found missing on the right. */
export async function redrive(context: Context, form: URLSearchParams): Promise<string> {
  const source = context.options.reconciliation;
  if (!source?.redrive) throw new ConsoleInputError('reconciliation', 'has no redrive handler');
  const last = await source.last();
  const missing = last?.report.missingRight.map((m) => m.key) ?? [];
  let keys: ReconcileKey[];
  if (form.get('all') === '1') keys = missing;
  else {
    const key = form.get('key');
    if (key === null || key === '') throw new ConsoleInputError('key', 'is missing');
    // Only a key the report lists is re-driven, as the report typed it (string or number).
    keys = missing.filter((k) => String(k) === key);
    if (keys.length === 0) return 'not-found';
  }
  await source.redrive(keys);
  return 'redriven';
}
