// Negotiable quotes as Adobe documents them (request, submitToCustomer, decline, the seller's
// update): https://developer.adobe.com/commerce/webapi/rest/b2b/negotiable-manage/ and
// https://developer.adobe.com/commerce/webapi/rest/b2b/negotiable-order-workflow/
import { resolveCustomerPrice, suiteql, suiteqlRows } from '@plumbline/erp-netsuite';
import { describe, expect, it } from 'vitest';
import { generateSeed, TEST_SIZE } from '../shared/seed.js';
import { openStores } from '../shared/stores.js';
import { startSystems } from '../shared/systems.js';
import { CUSTOM_SKU, quoteComment, run } from './index.js';

// Dozens of quote and price calls over HTTP: give a busy 2-core machine room.
describe('negotiable-quote', { timeout: 120_000 }, () => {
  it('prices every waiting quote with the ERP’s customer prices, sends it to the buyer, declines the unpriceable, and a rerun changes nothing', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE) });
    const stores = await openStores({ kind: 'memory', name: 'negotiable-quote' });
    try {
      const report = await run({ systems, stores, buyers: 5, lines: 3, unpriced: 1 });
      const d = report.details;
      expect(report.converged, JSON.stringify(d.left)).toBe(true);
      expect(d.requested).toBe(5);
      expect(d.submitted).toHaveLength(4);
      expect(d.declined).toHaveLength(1);
      expect(d.declined[0]!.reason).toContain(CUSTOM_SKU);

      const commerce = systems.emulators!.commerce.state;
      const quotes = commerce.b2b.negotiableQuotes;
      const customers = new Map<string, string>();
      for await (const row of suiteqlRows<{ id: string; externalid: string }>(
        systems.netsuite,
        suiteql`SELECT id, externalid FROM customer WHERE externalid LIKE 'CUST-%'`,
      )) {
        customers.set(row.externalid, row.id);
      }
      const items = new Map<string, string>();
      for await (const row of suiteqlRows<{ id: string; itemid: string }>(
        systems.netsuite,
        suiteql`SELECT id, itemid FROM item`,
      )) {
        items.set(row.itemid, row.id);
      }
      for (const outcome of d.submitted) {
        const cart = [...commerce.carts.values()].find((c) => c.id === outcome.quoteId)!;
        const view = quotes.view(cart)!;
        expect(view.status).toBe('submitted_by_admin');
        // Every line at the price NetSuite resolves for this customer, the total on the quote.
        let expected = 0;
        expect(outcome.lines.map((l) => l.sku).sort()).toEqual(cart.items.map((i) => i.sku).sort());
        for (const line of outcome.lines) {
          const price = await resolveCustomerPrice(
            systems.netsuite,
            customers.get(outcome.customer)!,
            items.get(line.sku)!,
          );
          expect(line.price).toBe(price.price);
          expected += price.price * line.qty;
        }
        expect(view.negotiated_total_price).toBe(Math.round(expected * 100) / 100);
        const comments = quotes.commentsOf(outcome.quoteId);
        expect(comments.at(-1)).toMatchObject({
          creator_type: 2,
          comment: quoteComment(outcome.lines, outcome.total),
        });
      }
      const declined = quotes.view(
        [...commerce.carts.values()].find((c) => c.id === d.declined[0]!.quoteId)!,
      )!;
      expect(declined.status).toBe('declined');
      expect(quotes.commentsOf(d.declined[0]!.quoteId).at(-1)).toMatchObject({
        is_decline: 1,
        comment: d.declined[0]!.reason,
      });

      // A rerun: nothing requested again, nothing priced or declined again, no new comment.
      const commentsBefore = quotes.comments.length;
      const again = await run({ systems, stores, buyers: 5, lines: 3, unpriced: 1 });
      expect(again.converged).toBe(true);
      expect(again.details).toMatchObject({
        requested: 0,
        submitted: [],
        declined: [],
        skipped: 5,
      });
      expect(quotes.comments.length).toBe(commentsBefore);
    } finally {
      await stores.close();
      await systems.close();
    }
  });

  it('converges with faults injected', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE), faults: true });
    try {
      const report = await run({ systems, buyers: 6, lines: 3, unpriced: 1 });
      expect(report.converged, JSON.stringify(report.details.left)).toBe(true);
      expect(report.details.submitted.length + report.details.declined.length).toBe(6);
      expect(report.details.declined).toHaveLength(1);
      const quotes = systems.emulators!.commerce.state.b2b.negotiableQuotes;
      for (const { quoteId } of report.details.submitted) {
        expect(quotes.status(quoteId)).toBe('submitted_by_admin');
        // One seller comment each, however many retries the faults caused.
        expect(quotes.commentsOf(quoteId).filter((c) => c.creator_type === 2)).toHaveLength(1);
      }
      expect(systems.faultCount()).toBeGreaterThan(0);
    } finally {
      await systems.close();
    }
  });
});
