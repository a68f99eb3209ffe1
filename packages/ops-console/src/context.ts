import { type Html, html } from './html.js';
import type { ConsoleOptions } from './options.js';

/** What a page or an action knows about the request it serves. */
export interface Context {
  options: ConsoleOptions;
  /** The mount path, '' for the root. */
  base: string;
  url: URL;
  now: number;
  pageSize: number;
  /** The request may act: `authorize` is configured and allowed it. */
  canAct: boolean;
  /** This session's CSRF token, put in every action form. */
  csrf: string;
}

/** A rendered page: its heading and body. */
export interface Page {
  heading: string;
  body: Html;
}

/** A bad query parameter or form field: answered with 400 and the message. */
export class ConsoleInputError extends Error {
  readonly code = 'CONSOLE_INPUT';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field} ${problem}`);
    this.name = 'ConsoleInputError';
  }
}

/** A POST form for one action; only rendered when the request may act. */
export function actionForm(
  context: Context,
  action: string,
  fields: Record<string, string>,
  label: string,
  style: 'normal' | 'danger' = 'normal',
): Html | '' {
  if (!context.canAct) return '';
  const hidden = Object.entries(fields).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  );
  return html`<form class="inline" method="post" action="${context.base}${action}"><input type="hidden" name="csrf" value="${context.csrf}">${hidden}<button type="submit"${style === 'danger' ? html` class="danger"` : ''}>${label}</button></form>`;
}

/** A non-negative integer query parameter, at most `max`; `fallback` when absent. */
export function intParam(url: URL, name: string, max: number, fallback = 0): number {
  const text = url.searchParams.get(name);
  if (text === null || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new ConsoleInputError(name, `must be a whole number from 0 to ${max}, got ${text}`);
  return value;
}

/** A value as readable JSON (strings as they are), cut at `max` characters. */
export function showValue(value: unknown, max = 20_000): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

export function isoTime(epochMs: number | undefined): string {
  return epochMs === undefined || !Number.isFinite(epochMs) || epochMs <= 0
    ? '—'
    : new Date(epochMs).toISOString();
}

/** An age such as `3 min 12 s`. */
export function age(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h} h ${m % 60} min` : `${Math.floor(h / 24)} d ${h % 24} h`;
}
