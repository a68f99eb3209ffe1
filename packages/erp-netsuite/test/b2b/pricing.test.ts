import { describe, expect, it } from 'vitest';
import {
  CustomerPriceError,
  createRecord,
  getRecord,
  NetSuiteArgumentError,
  resolveCustomerPrice,
  schemas,
  suiteql,
  suiteqlRows,
  updateRecord,
} from '../../src/index.js';
import { b2bAccount } from './harness.js';

// Price levels: Base Price is level 1; a level's "Markup/Discount %" marks the Base Price up or
// down (SOAP Schema Browser, PriceLevel.discountpct). An item's prices per level are its `price`
// sublist, written as Oracle's example writes it:
// https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159531460854.html
// A customer's item pricing (customer-itemPricingElement: item, level, price) takes precedence
// over the customer's price level:
// https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N2182485.html

const ctx = b2bAccount();

async function rows(q: ReturnType<typeof suiteql>): Promise<Record<string, string>[]> {
  const out: Record<string, string>[] = [];
  for await (const row of suiteqlRows<Record<string, string>>(ctx.client, q)) out.push(row);
  return out;
}

describe('price levels and customer prices', () => {
  it('has Base Price as level 1 and creates discount levels, readable over REST and SuiteQL', async () => {
    const { client } = ctx;
    const base = await getRecord(client, 'priceLevel', '1', { schema: schemas.priceLevel });
    expect(base.name).toBe('Base Price');
    const { id } = await createRecord(client, 'priceLevel', {
      name: 'Wholesale',
      discountPct: -20,
    });
    expect(await rows(suiteql`SELECT id, name, discountpct FROM pricelevel ORDER BY id`)).toEqual([
      { id: '1', name: 'Base Price' },
      { id, name: 'Wholesale', discountpct: '-20' },
    ]);
  });

  it('keeps item prices per level in the price sublist and the pricing table', async () => {
    const { client } = ctx;
    const gold = await createRecord(client, 'priceLevel', { name: 'Gold', discountPct: -10 });
    const item = await createRecord(client, 'inventoryItem', {
      itemId: 'WIDGET-1',
      price: {
        items: [
          {
            currencyPage: { id: '1' },
            priceLevel: { id: '1' },
            quantity: { value: 0 },
            price: 100,
          },
          {
            currencyPage: { id: '1' },
            priceLevel: { id: gold.id },
            quantity: { value: 0 },
            price: 85,
          },
        ],
      },
    });
    const read = await getRecord(client, 'inventoryItem', item.id, {
      expandSubResources: true,
      schema: schemas.inventoryItem,
    });
    expect(
      read.price?.items?.map((l) => [l.priceLevel?.id, l.priceLevel?.refName, l.price]),
    ).toEqual([
      ['1', 'Base Price', 100],
      [gold.id, 'Gold', 85],
    ]);
    expect(
      await rows(
        suiteql`SELECT item, pricelevel, unitprice FROM pricing WHERE item = ${Number(item.id)} ORDER BY pricelevel`,
      ),
    ).toEqual([
      { item: item.id, pricelevel: '1', unitprice: '100' },
      { item: item.id, pricelevel: gold.id, unitprice: '85' },
    ]);
  });

  it('resolves item pricing, then the customer price level, then the Base Price', async () => {
    const { client } = ctx;
    const silver = await createRecord(client, 'priceLevel', { name: 'Silver', discountPct: -5 });
    const partner = await createRecord(client, 'priceLevel', { name: 'Partner', discountPct: -30 });
    const listed = await createRecord(client, 'inventoryItem', {
      itemId: 'BOLT-9',
      price: {
        items: [
          { priceLevel: { id: '1' }, price: 40 },
          { priceLevel: { id: silver.id }, price: 37.5 },
        ],
      },
    });
    const contract = await createRecord(client, 'inventoryItem', {
      itemId: 'NUT-3',
      price: { items: [{ priceLevel: { id: '1' }, price: 10 }] },
    });
    const other = await createRecord(client, 'inventoryItem', {
      itemId: 'WASHER-2',
      price: { items: [{ priceLevel: { id: '1' }, price: 2 }] },
    });
    const buyer = await createRecord(client, 'customer', {
      companyName: 'Contract Buyer',
      priceLevel: { id: silver.id },
      itemPricing: {
        items: [
          { item: { id: contract.id }, price: 8.25 },
          { item: { id: other.id }, level: { id: partner.id } },
        ],
      },
    });
    // The customer's own unit price for NUT-3 wins.
    expect(await resolveCustomerPrice(client, buyer.id, contract.id)).toEqual({
      customerId: buyer.id,
      itemId: contract.id,
      price: 8.25,
      source: 'customerItemPrice',
    });
    // WASHER-2 has no Partner price: 30 % off its Base Price of 2.
    expect(await resolveCustomerPrice(client, buyer.id, other.id)).toMatchObject({
      price: 1.4,
      source: 'customerItemLevel',
      priceLevelId: partner.id,
      fromDiscount: true,
    });
    // BOLT-9 has a Silver price, the customer's level.
    expect(await resolveCustomerPrice(client, buyer.id, listed.id)).toMatchObject({
      price: 37.5,
      source: 'customerPriceLevel',
      priceLevelId: silver.id,
    });
    // A customer without prices of its own pays the Base Price.
    const walkIn = await createRecord(client, 'customer', { companyName: 'Walk-in' });
    expect(await resolveCustomerPrice(client, walkIn.id, listed.id)).toMatchObject({
      price: 40,
      source: 'basePrice',
      priceLevelId: '1',
    });
    // SuiteQL: the customer's item pricing lines, one row each.
    expect(
      await rows(
        suiteql`SELECT customer, item, level, price FROM customeritempricing WHERE customer = ${Number(buyer.id)} ORDER BY item`,
      ),
    ).toEqual([
      { customer: buyer.id, item: contract.id, price: '8.25' },
      { customer: buyer.id, item: other.id, level: partner.id },
    ]);
    // The customer's price level reads back as a price level reference.
    const read = await getRecord(client, 'customer', buyer.id, { schema: schemas.customer });
    expect(read.priceLevel).toMatchObject({ id: silver.id, refName: 'Silver' });
    // A changed contract price is what the next resolution answers.
    await updateRecord(client, 'customer', buyer.id, {
      itemPricing: { items: [{ line: 1, price: 7.9 }] },
    });
    expect((await resolveCustomerPrice(client, buyer.id, contract.id)).price).toBe(7.9);
  });

  it('refuses ids that are not internal ids and items without a Base Price, naming them', async () => {
    const { client } = ctx;
    await expect(resolveCustomerPrice(client, 'acme', '1')).rejects.toThrow(NetSuiteArgumentError);
    await expect(resolveCustomerPrice(client, 'acme', '1')).rejects.toThrow(/customerId/);
    const unpriced = await createRecord(client, 'inventoryItem', { itemId: 'UNPRICED' });
    const someone = await createRecord(client, 'customer', { companyName: 'Someone' });
    const error = await resolveCustomerPrice(client, someone.id, unpriced.id).catch((e) => e);
    expect(error).toBeInstanceOf(CustomerPriceError);
    expect(error).toMatchObject({ code: 'CUSTOMER_PRICE_UNRESOLVED', itemId: unpriced.id });
  });
});
