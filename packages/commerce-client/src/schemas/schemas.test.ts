import { describe, expect, it } from 'vitest';
import { CommerceInputError } from '../errors.js';
import { CommerceValidationError, parseEntity, schemas } from './index.js';

const order = {
  entity_id: 7,
  increment_id: '000000007',
  state: 'processing',
  status: 'processing',
  customer_email: 'roni_cost@example.com',
  base_grand_total: 39,
  grand_total: 39,
  items: [
    { item_id: 12, sku: 'WS12-XS-Orange', qty_ordered: 1, price: 29, product_type: 'simple' },
  ],
  billing_address: {
    address_type: 'billing',
    city: 'Calder',
    country_id: 'US',
    firstname: 'Veronica',
    lastname: 'Costello',
    postcode: '49628-7978',
    telephone: '(555) 229-3326',
    street: ['6146 Honey Bluff Parkway'],
  },
  payment: {
    method: 'checkmo',
    account_status: null,
    additional_information: ['Check / Money order'],
    cc_last4: null,
  },
  extension_attributes: {
    shipping_assignments: [{ shipping: { method: 'flatrate_flatrate' } }],
    my_erp_order_ref: 'ERP-991',
  },
  some_future_column: true,
};

describe('schemas', () => {
  it('accepts real payloads and keeps unknown fields such as custom extension_attributes', () => {
    const parsed = parseEntity(schemas.order, order, 'order');
    expect(parsed.extension_attributes?.my_erp_order_ref).toBe('ERP-991');
    expect((parsed as Record<string, unknown>).some_future_column).toBe(true);
    const page = parseEntity(schemas.searchResult(schemas.order), {
      items: [order],
      search_criteria: {
        filter_groups: [
          { filters: [{ field: 'state', value: 'processing', condition_type: 'eq' }] },
        ],
      },
      total_count: 1,
    });
    expect(page.items[0]?.increment_id).toBe('000000007');
  });

  it('rejects malformed payloads naming the field path', () => {
    const bad = { ...order, items: [{ ...order.items[0], sku: 42 }] };
    let caught: unknown;
    try {
      parseEntity(schemas.order, bad, 'order');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CommerceValidationError);
    expect(caught).toBeInstanceOf(CommerceInputError);
    expect((caught as CommerceValidationError).field).toBe('order.items.0.sku');
    expect((caught as CommerceValidationError).code).toBe('COMMERCE_INVALID_INPUT');
    expect(
      schemas.sourceItem.safeParse({ sku: 'A', source_code: 'default', quantity: '5', status: 1 })
        .error?.issues[0]?.path,
    ).toEqual(['quantity']);
    expect(
      schemas.customer.safeParse({ email: 'not-an-email', firstname: 'a', lastname: 'b' }).success,
    ).toBe(false);
  });

  it('covers bulk, async and error bodies', () => {
    expect(
      schemas.asyncResponse.parse({
        bulk_uuid: '799a59c0-09ca-4d60-b432-2953986c1c38',
        request_items: [{ id: 0, data_hash: null, status: 'accepted' }],
        errors: false,
      }).errors,
    ).toBe(false);
    expect(
      schemas.bulkStatus.safeParse({
        bulk_id: 'x',
        description: 'd',
        start_time: 't',
        user_id: 1,
        operation_count: 1,
        operations_list: [{ id: 0, status: 'complete', result_message: null, error_code: null }],
      }).success,
    ).toBe(false);
    expect(
      schemas.error.parse({
        message: 'No such entity with %fieldName = %fieldValue',
        parameters: { fieldName: 'id', fieldValue: '1' },
      }).message,
    ).toContain('%fieldName');
    expect(schemas.error.parse({ message: 'Too Many Requests', trace: null }).trace).toBeNull();
  });
});
