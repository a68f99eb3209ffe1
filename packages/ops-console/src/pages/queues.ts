import type { Queue } from '@plumbline/sync-core';
import { age, type Context, isoTime, type Page } from '../context.js';
import { href, html } from '../html.js';

/** One queue's depth by state and the age of its oldest due job. */
export async function queueRow(context: Context, name: string, queue: Queue<unknown>) {
  const [stats, oldest] = await Promise.all([
    queue.stats(),
    queue.list({ state: 'ready', limit: 1 }),
  ]);
  const first = oldest[0];
  return html`<tr data-queue="${name}"><td>${name}</td><td>${stats.ready}</td><td>${stats.delayed}</td><td>${stats.running ?? '—'}</td>
<td><a href="${href(`${context.base}/dead-letters`, { source: `queue:${name}` })}">${stats.dead}</a></td><td>${stats.done ?? 0}</td>
<td>${first ? html`${age(context.now - first.createdAt)} <span class="muted">(${isoTime(first.createdAt)})</span>` : '—'}</td></tr>`;
}

export async function queuesPage(context: Context): Promise<Page> {
  const heading = 'Queues';
  const queues = Object.entries(context.options.queues ?? {});
  if (queues.length === 0)
    return { heading, body: html`<p class="muted">No queue is configured.</p>` };
  const rows = await Promise.all(queues.map(([name, queue]) => queueRow(context, name, queue)));
  return {
    heading,
    body: html`<table><thead><tr><th>Queue</th><th>Ready</th><th>Delayed</th><th>Running</th><th>Dead</th><th>Done (kept)</th><th>Oldest ready job</th></tr></thead><tbody>${rows}</tbody></table>
<p class="muted">Depth is ready + delayed + running. “—” where the backend cannot tell (RabbitMQ does not count running jobs).</p>`,
  };
}
