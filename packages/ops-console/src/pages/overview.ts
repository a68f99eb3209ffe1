import type { Context, Page } from '../context.js';
import { html } from '../html.js';
import { queueRow } from './queues.js';

export async function overviewPage(context: Context): Promise<Page> {
  const queues = Object.entries(context.options.queues ?? {});
  const rows = await Promise.all(queues.map(([name, queue]) => queueRow(context, name, queue)));
  const lists = Object.entries(context.options.deadLetterLists ?? {});
  const listRows = await Promise.all(
    lists.map(async ([name, entry]) => {
      const page = await entry.list.list({ limit: 100 });
      return html`<li>list ${name}: ${page.entries.length}${page.next === undefined ? '' : '+'} parked record(s)</li>`;
    }),
  );
  const open = Object.entries(context.options.breakers ?? {}).filter(
    ([, b]) => b.state !== 'closed',
  );
  const last = await context.options.reconciliation?.last();
  return {
    heading: 'Overview',
    body: html`${context.canAct ? html`<p class="muted">You may replay, discard and re-drive.</p>` : html`<p class="muted">Read-only: actions need the host’s authorization.</p>`}
${rows.length === 0 ? '' : html`<h3>Queues</h3><table><thead><tr><th>Queue</th><th>Ready</th><th>Delayed</th><th>Running</th><th>Dead</th><th>Done (kept)</th><th>Oldest ready job</th></tr></thead><tbody>${rows}</tbody></table>`}
${listRows.length === 0 ? '' : html`<h3>Dead-letter lists</h3><ul>${listRows}</ul>`}
<h3>Breakers</h3><p>${open.length === 0 ? 'All closed.' : open.map(([name, b]) => html`<span class="state-${b.state}">${name} ${b.state}</span> `)}</p>
<h3>Reconciliation</h3><p>${last ? `${last.name} at ${last.at.toISOString()}: ${last.report.stats.missingRight} missing on the right, ${last.report.stats.missingLeft} on the left, ${last.report.stats.different} different` : 'None has run yet.'}</p>`,
  };
}
