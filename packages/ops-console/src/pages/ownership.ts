import { renderOwnership } from '@plumbline/sync-core';
import type { Context, Page } from '../context.js';
import { html, trusted } from '../html.js';

export function ownershipPage(context: Context): Page {
  const heading = 'Source of truth';
  const ownership = context.options.ownership;
  if (!ownership)
    return { heading, body: html`<p class="muted">No ownership map is configured.</p>` };
  // renderOwnership escapes every system, entity and field name itself.
  return {
    heading,
    body: html`<p class="muted">Which system owns each field; a write from any other system is refused.</p>${trusted(renderOwnership(ownership, { format: 'html' }))}`,
  };
}
