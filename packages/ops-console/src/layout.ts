import { type Html, html } from './html.js';

/** The pages in the navigation, in order: path under basePath and label. */
export const PAGES = [
  ['/', 'Overview'],
  ['/dead-letters', 'Dead letters'],
  ['/conflicts', 'Conflicts'],
  ['/reconciliation', 'Reconciliation'],
  ['/queues', 'Queues'],
  ['/runners', 'Runners'],
  ['/breakers', 'Breakers & limiters'],
  ['/ownership', 'Source of truth'],
] as const;

export interface PageFrame {
  title: string;
  base: string;
  /** The current page's path under base, to mark it in the navigation. */
  path: string;
  notice?: string | undefined;
  error?: string | undefined;
}

/** A whole document: head with the stylesheet, the navigation, the notice, and the body. */
export function layout(frame: PageFrame, heading: string, body: Html): string {
  const nav = PAGES.map(
    ([path, label]) =>
      html`<a href="${frame.base}${path === '/' ? '/' : path}"${frame.path === path ? html` aria-current="page"` : ''}>${label}</a>`,
  );
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${heading} · ${frame.title}</title>
<link rel="stylesheet" href="${frame.base}/style.css">
</head>
<body>
<header><h1>${frame.title}</h1><nav>${nav}</nav></header>
<main>
<h2>${heading}</h2>
${frame.notice ? html`<p class="notice" role="status">${frame.notice}</p>` : ''}
${frame.error ? html`<p class="error" role="alert">${frame.error}</p>` : ''}
${body}
</main>
</body>
</html>
`.toString();
}
