import {
  actionForm,
  ConsoleInputError,
  type Context,
  intParam,
  isoTime,
  type Page,
  showValue,
} from '../context.js';
import { type Html, href, html } from '../html.js';
import type { ConsoleDeadLetterList } from '../options.js';

/** The farthest offset the queue view pages to: queues list dead jobs from the oldest. */
export const MAX_QUEUE_OFFSET = 10_000;

type Source = { kind: 'queue'; name: string } | { kind: 'list'; name: string };

function sources(context: Context): Source[] {
  return [
    ...Object.keys(context.options.queues ?? {}).map((name) => ({ kind: 'queue' as const, name })),
    ...Object.keys(context.options.deadLetterLists ?? {}).map((name) => ({
      kind: 'list' as const,
      name,
    })),
  ];
}

const sourceId = (source: Source) => `${source.kind}:${source.name}`;

/** The source a parameter names (`queue:<name>` or `list:<name>`); the first when absent. */
export function pickSource(context: Context, value: string | null): Source | undefined {
  const all = sources(context);
  if (value === null || value === '') return all[0];
  const found = all.find((s) => sourceId(s) === value);
  if (!found) throw new ConsoleInputError('source', `names no queue or dead-letter list: ${value}`);
  return found;
}

export async function deadLettersPage(context: Context): Promise<Page> {
  const source = pickSource(context, context.url.searchParams.get('source'));
  const heading = 'Dead letters';
  if (!source) {
    return {
      heading,
      body: html`<p class="muted">No queue or dead-letter list is configured.</p>`,
    };
  }
  const tabs = sources(context).map(
    (s) =>
      html`<a href="${href(`${context.base}/dead-letters`, { source: sourceId(s) })}"${sourceId(s) === sourceId(source) ? html` aria-current="true"` : ''}>${s.kind === 'queue' ? 'queue' : 'list'} ${s.name}</a>`,
  );
  const table =
    source.kind === 'queue'
      ? await queueDeadLetters(context, source.name)
      : await listDeadLetters(context, source.name);
  return { heading, body: html`<p class="tabs">${tabs}</p>${table}` };
}

async function queueDeadLetters(context: Context, name: string): Promise<Html> {
  const queue = context.options.queues?.[name];
  if (!queue) throw new ConsoleInputError('source', `names no queue: ${name}`);
  const offset = intParam(context.url, 'offset', MAX_QUEUE_OFFSET);
  const size = context.pageSize;
  const dead = await queue.deadLetters({ limit: offset + size + 1 });
  const page = dead.slice(offset, offset + size);
  const source = `queue:${name}`;
  const rows = page.map(
    (job) => html`<tr data-id="${job.id}">
<td><code>${job.id}</code>${job.key === undefined ? '' : html`<br><span class="muted">key ${job.key}</span>`}</td>
<td><pre>${showValue(job.payload)}</pre></td>
<td><pre>${job.lastError}</pre></td>
<td>${job.attempts}</td>
<td>${isoTime(job.failedAt)}</td>
<td>${actionForm(context, '/dead-letters/replay', { source, id: job.id }, 'Replay')} ${actionForm(context, '/dead-letters/discard', { source, id: job.id }, 'Discard', 'danger')}</td>
</tr>`,
  );
  const pager = html`<p class="pager">${offset > 0 ? html`<a href="${href(`${context.base}/dead-letters`, { source, offset: Math.max(0, offset - size) })}">← Newer page</a>` : ''}${dead.length > offset + size && offset + size <= MAX_QUEUE_OFFSET ? html`<a href="${href(`${context.base}/dead-letters`, { source, offset: offset + size })}" rel="next">Next page →</a>` : ''}</p>`;
  return html`<p class="muted">Dead jobs of queue <strong>${name}</strong>, oldest first${offset > 0 ? html`, from #${offset + 1}` : ''}. Replay puts a job back in the queue with fresh attempts; Discard deletes it for good.</p>
${page.length === 0 ? html`<p>No dead letters.</p>` : html`<table><thead><tr><th>Job</th><th>Payload</th><th>Last error</th><th>Attempts</th><th>Failed at</th><th>Actions</th></tr></thead><tbody>${rows}</tbody></table>`}
${pager}`;
}

async function listDeadLetters(context: Context, name: string): Promise<Html> {
  const entry = context.options.deadLetterLists?.[name];
  if (!entry) throw new ConsoleInputError('source', `names no dead-letter list: ${name}`);
  const after = context.url.searchParams.get('after') ?? undefined;
  const page = await entry.list.list({ limit: context.pageSize, ...(after ? { after } : {}) });
  const source = `list:${name}`;
  const rows = page.entries.map(
    (e) => html`<tr data-id="${e.id}">
<td><code>${e.id}</code></td>
<td><pre>${e.record === undefined ? `(not kept: ${e.unserialisable ?? 'unknown'})\n${showValue(e.lossyCopy)}` : showValue(e.record)}</pre></td>
<td><pre>${e.reason.stage} · ${e.reason.code}\n${e.reason.message}</pre></td>
<td>${e.attempts}</td>
<td>${e.firstParkedAt}<br>${e.parkedAt}</td>
<td>${replayButton(context, entry, source, e.id)} ${actionForm(context, '/dead-letters/discard', { source, id: e.id }, 'Discard', 'danger')}</td>
</tr>`,
  );
  const pager = html`<p class="pager">${after ? html`<a href="${href(`${context.base}/dead-letters`, { source })}">← First page</a>` : ''}${page.next === undefined ? '' : html`<a href="${href(`${context.base}/dead-letters`, { source, after: page.next })}" rel="next">Next page →</a>`}</p>`;
  return html`<p class="muted">Records the runner parked in list <strong>${name}</strong>, in id order.${entry.replay ? ' Replay hands a record to the host’s handler and discards it when that succeeds.' : ''}</p>
${page.entries.length === 0 ? html`<p>No dead letters.</p>` : html`<table><thead><tr><th>Id</th><th>Record</th><th>Last error</th><th>Attempts</th><th>First / last parked</th><th>Actions</th></tr></thead><tbody>${rows}</tbody></table>`}
${pager}`;
}

function replayButton(
  context: Context,
  entry: ConsoleDeadLetterList,
  source: string,
  id: string,
): Html | '' {
  return entry.replay ? actionForm(context, '/dead-letters/replay', { source, id }, 'Replay') : '';
}

/** Replays one dead letter; returns the notice for the redirect. */
export async function replayDeadLetter(context: Context, form: URLSearchParams): Promise<string> {
  const source = pickSource(context, form.get('source'));
  const id = requiredField(form, 'id');
  if (!source) throw new ConsoleInputError('source', 'is missing');
  if (source.kind === 'queue') {
    const queue = context.options.queues?.[source.name];
    return (await queue?.replay(id)) ? 'replayed' : 'not-found';
  }
  const entry = context.options.deadLetterLists?.[source.name];
  if (!entry?.replay) throw new ConsoleInputError('source', 'has no replay handler');
  const result = await entry.list.replay(entry.replay, { ids: [id] });
  return result.replayed > 0 ? 'replayed' : result.failed > 0 ? 'replay-failed' : 'not-found';
}

export async function discardDeadLetter(context: Context, form: URLSearchParams): Promise<string> {
  const source = pickSource(context, form.get('source'));
  const id = requiredField(form, 'id');
  if (!source) throw new ConsoleInputError('source', 'is missing');
  const discarded =
    source.kind === 'queue'
      ? await context.options.queues?.[source.name]?.discard(id)
      : await context.options.deadLetterLists?.[source.name]?.list.discard(id);
  return discarded ? 'discarded' : 'not-found';
}

export function requiredField(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (value === null || value === '') throw new ConsoleInputError(name, 'is missing');
  return value;
}
