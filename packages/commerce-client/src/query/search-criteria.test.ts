import { describe, expect, it } from 'vitest';
import { CommerceInputError } from '../errors.js';
import { searchCriteria, serializeQuery } from './search-criteria.js';

function decodePairs(query: string): [string, string][] {
  return query.split('&').map((part) => {
    const [key, value = ''] = part.split('=');
    return [decodeURIComponent(key as string), decodeURIComponent(value)];
  });
}

describe('searchCriteria builder', () => {
  it('builds ANDed groups of ORed filters, sort orders and paging in Magento bracket form', () => {
    const query = searchCriteria<'status' | 'created_at' | 'sku' | 'name'>()
      .where('status', 'eq', 'pending')
      .whereAny(['sku', 'like', 'MB-%'], { field: 'name', condition: 'like', value: '%bag%' })
      .orderBy('created_at', 'desc')
      .pageSize(50)
      .page(2)
      .toString();
    expect(decodePairs(query)).toEqual([
      ['searchCriteria[filter_groups][0][filters][0][field]', 'status'],
      ['searchCriteria[filter_groups][0][filters][0][value]', 'pending'],
      ['searchCriteria[filter_groups][0][filters][0][condition_type]', 'eq'],
      ['searchCriteria[filter_groups][1][filters][0][field]', 'sku'],
      ['searchCriteria[filter_groups][1][filters][0][value]', 'MB-%'],
      ['searchCriteria[filter_groups][1][filters][0][condition_type]', 'like'],
      ['searchCriteria[filter_groups][1][filters][1][field]', 'name'],
      ['searchCriteria[filter_groups][1][filters][1][value]', '%bag%'],
      ['searchCriteria[filter_groups][1][filters][1][condition_type]', 'like'],
      ['searchCriteria[sortOrders][0][field]', 'created_at'],
      ['searchCriteria[sortOrders][0][direction]', 'DESC'],
      ['searchCriteria[pageSize]', '50'],
      ['searchCriteria[currentPage]', '2'],
    ]);
  });

  it('encodes each value exactly once: %, &, +, spaces, unicode', () => {
    const query = searchCriteria()
      .where('name', 'like', '50% off & more + tax · Ünïcødé')
      .toString();
    expect(query).toContain(
      'searchCriteria[filter_groups][0][filters][0][value]=50%25%20off%20%26%20more%20%2B%20tax%20%C2%B7%20%C3%9Cn%C3%AFc%C3%B8d%C3%A9',
    );
    expect(
      new URLSearchParams(query).get('searchCriteria[filter_groups][0][filters][0][value]'),
    ).toBe('50% off & more + tax · Ünïcødé');
  });

  it('joins in/nin lists with commas and refuses items that contain a comma', () => {
    const query = searchCriteria()
      .where('entity_id', 'in', [1, 2, 3])
      .where('sku', 'nin', ['a b', 'c&d'])
      .toString();
    const params = new URLSearchParams(query);
    expect(params.get('searchCriteria[filter_groups][0][filters][0][value]')).toBe('1,2,3');
    expect(params.get('searchCriteria[filter_groups][1][filters][0][value]')).toBe('a b,c&d');
    expect(query).toContain('[value]=a%20b%2Cc%26d');
    expect(() => searchCriteria().where('sku', 'in', ['a,b'])).toThrow(/contains a comma/);
  });

  it('supports every condition type, dates and valueless null/notnull', () => {
    const all = [
      'eq',
      'neq',
      'gt',
      'gteq',
      'lt',
      'lteq',
      'like',
      'nlike',
      'finset',
      'nfinset',
      'from',
      'to',
      'moreq',
    ] as const;
    let builder = searchCriteria();
    for (const condition of all) builder = builder.where('f', condition, 1);
    builder = builder
      .where('f', 'null')
      .where('f', 'notnull')
      .where('f', 'in', [1])
      .where('f', 'nin', [2]);
    const groups = builder.build().filter_groups ?? [];
    expect(groups.map((g) => g.filters?.[0]?.condition_type)).toEqual([
      ...all,
      'null',
      'notnull',
      'in',
      'nin',
    ]);
    const dated = searchCriteria()
      .where('updated_at', 'gt', new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))
      .build();
    expect(dated.filter_groups?.[0]?.filters?.[0]?.value).toBe('2026-01-02 03:04:05');
  });

  it('rejects bad input with a typed error naming the field', () => {
    const bad = [
      () => searchCriteria().where('sku', 'equals' as never, 'x'),
      () => searchCriteria().where('bad field' as string, 'eq', 'x'),
      () => searchCriteria().where('sku', 'eq'),
      () => searchCriteria().pageSize(0),
      () => searchCriteria().page(-1),
      () => searchCriteria().orderBy('sku', 'up' as never),
      () => searchCriteria().where('price', 'gt', Number.NaN),
    ];
    const fields = bad.map((fn) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(CommerceInputError);
        return (error as CommerceInputError).field;
      }
      throw new Error('expected a CommerceInputError');
    });
    expect(fields).toEqual([
      'filter_groups[0].filters[0].condition',
      'filter_groups[0].filters[0].field',
      'filter_groups[0].filters[0].value',
      'page_size',
      'current_page',
      'sort_orders[0].direction',
      'filter_groups[0].filters[0].value',
    ]);
  });

  it('is immutable so a base criteria can be reused', () => {
    const base = searchCriteria().where('status', 'eq', 'pending');
    const paged = base.pageSize(10);
    expect(base.build().page_size).toBeUndefined();
    expect(paged.build().page_size).toBe(10);
  });

  it('serializes fields= projection and other query values', () => {
    const query = serializeQuery({
      ...searchCriteria().pageSize(5).fields('items[sku,name],total_count').toQuery(),
      skus: ['A 1', 'B&2'],
      stockId: 1,
      missing: undefined,
    });
    expect(decodePairs(query)).toEqual([
      ['searchCriteria[pageSize]', '5'],
      ['fields', 'items[sku,name],total_count'],
      ['skus[0]', 'A 1'],
      ['skus[1]', 'B&2'],
      ['stockId', '1'],
    ]);
  });

  it('empty criteria still send a searchCriteria parameter, which Magento requires on list routes', () => {
    expect(searchCriteria().toString()).toBe('searchCriteria[currentPage]=1');
    expect(serializeQuery({ searchCriteria: {} })).toBe('searchCriteria[currentPage]=1');
    expect(searchCriteria().pageSize(10).toString()).toBe('searchCriteria[pageSize]=10');
  });
});
