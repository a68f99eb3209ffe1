import { type Context, isoTime, type Page } from '../context.js';
import { html } from '../html.js';

export function breakersPage(context: Context): Page {
  const breakers = Object.entries(context.options.breakers ?? {});
  const limiters = Object.entries(context.options.limiters ?? {});
  const breakerRows = breakers.map(
    ([name, b]) =>
      html`<tr><td>${name}</td><td class="state-${b.state}">${b.state}</td><td>${b.state === 'open' ? isoTime(b.retryAt) : '—'}</td></tr>`,
  );
  const limiterRows = limiters.flatMap(([name, l]) =>
    l.keys.map(
      (key) =>
        html`<tr><td>${name}</td><td>${key}</td><td>${l.limiter.inFlight(key)}${l.maxConcurrent === undefined ? '' : html` / ${l.maxConcurrent}`}</td></tr>`,
    ),
  );
  return {
    heading: 'Breakers and limiters',
    body: html`<h3>Circuit breakers</h3>
${breakerRows.length === 0 ? html`<p class="muted">No breaker is configured.</p>` : html`<table><thead><tr><th>Breaker</th><th>State</th><th>Trial call after</th></tr></thead><tbody>${breakerRows}</tbody></table>`}
<h3>Limiters</h3>
${limiterRows.length === 0 ? html`<p class="muted">No limiter is configured.</p>` : html`<table><thead><tr><th>Limiter</th><th>Key</th><th>In flight (this process)</th></tr></thead><tbody>${limiterRows}</tbody></table>`}`,
  };
}
