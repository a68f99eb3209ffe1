import { describe, expect, it } from 'vitest';
import { createCommerceClient } from '../client.js';
import { type ConditionType, searchCriteria } from '../query/search-criteria.js';
import { createCommerceEmulator } from './emulator.js';

/**
 * Magento turns searchCriteria into SQL (`prepareSqlCondition` of its MySQL adapter) on tables
 * created with `utf8mb3_general_ci`: negative conditions leave NULL rows out, and text compares
 * without regard to case. These tests go through the emulator's HTTP surface, as a client does.
 */
function store() {
  const emulator = createCommerceEmulator({
    integrationTokens: ['t'],
    seed: {
      products: [
        // `season` is an attribute only some products have: NULL for the others.
        {
          sku: 'A',
          name: 'Joust Duffle Bag',
          price: 10,
          custom_attributes: [{ attribute_code: 'season', value: 'summer' }],
        },
        {
          sku: 'B',
          name: 'joust duffle bag',
          price: 20,
          custom_attributes: [{ attribute_code: 'season', value: 'Winter,Spring' }],
        },
        { sku: 'C', name: 'Strive Shoulder Pack', price: 30 },
        {
          sku: 'D',
          name: 'Crown Summit Backpack',
          price: 40,
          custom_attributes: [{ attribute_code: 'season', value: '' }],
        },
      ],
    },
  });
  const client = createCommerceClient({
    baseUrl: 'http://store.test',
    auth: { type: 'bearer', token: 't' },
    retry: false,
    fetch: (input: Request | string | URL, init?: RequestInit) =>
      emulator.fetch(new Request(input, init)),
  });
  const skus = async (field: string, condition: ConditionType, value?: string | string[]) => {
    const criteria =
      value === undefined
        ? searchCriteria().where(field, condition as 'null')
        : searchCriteria().where(field, condition as 'eq', value as string);
    const { data } = await client.GET('/V1/products', {
      params: { query: criteria.orderBy('sku').toQuery() },
    });
    return data?.items.map((p) => p.sku);
  };
  return { skus };
}

describe('commerce emulator searchCriteria: SQL NULL semantics', () => {
  it('neq, nin, nlike and nfinset leave out rows where the field is NULL', async () => {
    const { skus } = store();
    expect(await skus('season', 'neq', 'summer')).toEqual(['B', 'D']);
    expect(await skus('season', 'nin', ['summer', 'autumn'])).toEqual(['B', 'D']);
    expect(await skus('season', 'nlike', 'sum%')).toEqual(['B', 'D']);
    expect(await skus('season', 'nfinset', 'winter')).toEqual(['A', 'D']);
  });

  it('null matches only NULL (an empty string is a value) and notnull the rest', async () => {
    const { skus } = store();
    expect(await skus('season', 'null')).toEqual(['C']);
    expect(await skus('season', 'notnull')).toEqual(['A', 'B', 'D']);
    expect(await skus('season', 'eq', '')).toEqual(['D']);
  });
});

describe('commerce emulator searchCriteria: case-insensitive collation', () => {
  it('eq, in and like ignore case, as MySQL does under utf8mb3_general_ci', async () => {
    const { skus } = store();
    expect(await skus('name', 'eq', 'JOUST DUFFLE BAG')).toEqual(['A', 'B']);
    expect(await skus('name', 'in', ['strive shoulder pack', 'nothing'])).toEqual(['C']);
    expect(await skus('name', 'like', '%BACKPACK')).toEqual(['D']);
    expect(await skus('sku', 'eq', 'a')).toEqual(['A']);
  });

  it('the negations and finset ignore case too', async () => {
    const { skus } = store();
    expect(await skus('name', 'neq', 'JOUST DUFFLE BAG')).toEqual(['C', 'D']);
    expect(await skus('name', 'nin', ['STRIVE SHOULDER PACK'])).toEqual(['A', 'B', 'D']);
    expect(await skus('season', 'finset', 'SPRING')).toEqual(['B']);
  });
});
