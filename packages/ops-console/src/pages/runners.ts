import { decodeCursor } from '@plumbline/sync-core';
import { age, type Context, isoTime, type Page } from '../context.js';
import { type Html, html } from '../html.js';
import type { ConsoleRunner } from '../options.js';

async function cursorCell(runner: ConsoleRunner): Promise<Html | string> {
  if (!runner.cursor) return '—';
  const token = await runner.cursor.checkpoints.token(runner.cursor.name);
  if (token === undefined)
    return html`<span class="muted">${runner.cursor.name}: no checkpoint yet</span>`;
  try {
    const state = decodeCursor(token);
    return html`<strong>${runner.cursor.name}</strong><br>watermark ${state.watermark ? html`${isoTime(state.watermark.updatedAt)} · id <code>${String(state.watermark.id)}</code>` : '—'}<br><span class="muted">window from ${isoTime(state.floor)}; ${state.seen.reduce((n, [, ids]) => n + ids.length, 0)} id(s) seen in it</span>`;
  } catch (error) {
    return html`<span class="error">${runner.cursor.name}: unreadable checkpoint (${(error as Error).message})</span>`;
  }
}

function progressCell(runner: ConsoleRunner): Html | string {
  const p = runner.progress?.();
  if (!p) return '—';
  return html`${p.done}${p.total === undefined ? '' : html` of ${p.total}`} done, ${p.failed} failed, ${p.skipped} skipped, ${p.echoes} echoes, ${p.batches} batches<br>
<span class="muted">${p.rate.toFixed(1)}/s over ${age(p.elapsedMs)}${p.etaMs === undefined ? '' : `, about ${age(p.etaMs)} left`}</span>`;
}

export async function runnersPage(context: Context): Promise<Page> {
  const heading = 'Runners';
  const runners = Object.entries(context.options.runners ?? {});
  if (runners.length === 0)
    return { heading, body: html`<p class="muted">No runner is configured.</p>` };
  const rows = await Promise.all(
    runners.map(
      async ([name, runner]) =>
        html`<tr><td>${name}</td><td>${progressCell(runner)}</td><td>${await cursorCell(runner)}</td></tr>`,
    ),
  );
  return {
    heading,
    body: html`<table><thead><tr><th>Runner</th><th>Progress</th><th>Cursor position</th></tr></thead><tbody>${rows}</tbody></table>`,
  };
}
