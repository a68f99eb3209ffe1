import { describe, expect, expectTypeOf, it } from 'vitest';
import { UnknownEntityError, UnknownSystemError } from '../errors.js';
import { defineOwnership } from './ownership.js';

interface Customer {
  email: string;
  name: string;
  creditLimit: number;
  segment: string;
}
interface Product {
  sku: string;
  price: number;
  description: string;
}

const ownership = defineOwnership<{ customer: Customer; product: Product }>()({
  systems: ['commerce', 'erp', 'crm'] as const,
  entities: {
    customer: { default: 'erp', fields: { email: 'commerce', segment: 'crm' } },
    product: {
      default: 'erp',
      fields: { description: 'commerce' },
      directions: { erp: { price: 'commerce' } },
    },
  },
});

describe('defineOwnership', () => {
  it('accepts the fields the source owns and refuses the rest with owner and reason', () => {
    const result = ownership.accept('commerce', 'customer', {
      email: 'a@example.com',
      name: 'Ada',
      creditLimit: 500,
    });
    expect(result.accepted).toEqual({ email: 'a@example.com' });
    expect(result.refused).toEqual([
      {
        field: 'name',
        owner: 'erp',
        reason: 'customer.name is owned by erp; commerce may not write it',
      },
      {
        field: 'creditLimit',
        owner: 'erp',
        reason: 'customer.creditLimit is owned by erp; commerce may not write it',
      },
    ]);
  });

  it('applies the default owner to fields not listed', () => {
    expect(ownership.accept('erp', 'customer', { name: 'Ada', creditLimit: 1 })).toEqual({
      accepted: { name: 'Ada', creditLimit: 1 },
      refused: [],
    });
    expect(ownership.ownerOf('customer', 'segment')).toBe('crm');
  });

  it('applies per-direction overrides for the sync target', () => {
    // Towards the ERP, commerce owns the price; in any other direction the ERP does.
    expect(ownership.ownerOf('product', 'price')).toBe('erp');
    expect(ownership.ownerOf('product', 'price', { target: 'erp' })).toBe('commerce');
    expect(
      ownership.accept('commerce', 'product', { price: 9 }, { target: 'erp' }).accepted,
    ).toEqual({
      price: 9,
    });
    const towardsCrm = ownership.accept('commerce', 'product', { price: 9 }, { target: 'crm' });
    expect(towardsCrm.accepted).toEqual({});
    expect(towardsCrm.refused[0]?.reason).toBe(
      'product.price is owned by erp when syncing to crm; commerce may not write it',
    );
  });

  it('raises typed errors for unknown entities and systems at run time', () => {
    const loose = ownership as unknown as {
      accept(source: string, entity: string, patch: object): unknown;
    };
    expect(() => loose.accept('erp', 'invoice', {})).toThrow(UnknownEntityError);
    expect(() => loose.accept('erp', 'invoice', {})).toThrow(/"invoice".*customer, product/);
    expect(() => loose.accept('shopify', 'customer', {})).toThrow(UnknownSystemError);
    expect(() =>
      defineOwnership({
        systems: ['a', 'b'],
        entities: { thing: { default: 'c' as 'a' } },
      }),
    ).toThrow(/System "c" \(entities.thing.default\)/);
  });

  it('does not treat inherited object keys as entities or field owners', () => {
    const loose = ownership as unknown as { accept(s: string, e: string, p: object): unknown };
    expect(() => loose.accept('erp', 'toString', {})).toThrow(UnknownEntityError);
    expect(ownership.accept('erp', 'customer', { constructor: 1 } as never).accepted).toEqual({
      constructor: 1,
    });
  });

  it('works without record types: systems and entities are still checked', () => {
    const loose = defineOwnership({
      systems: ['commerce', 'erp'] as const,
      entities: { order: { default: 'commerce', fields: { erpId: 'erp' } } },
    });
    expect(loose.accept('erp', 'order', { erpId: 'SO1', total: 5 })).toMatchObject({
      accepted: { erpId: 'SO1' },
      refused: [{ field: 'total', owner: 'commerce' }],
    });
    expectTypeOf(loose.systems).toEqualTypeOf<readonly ('commerce' | 'erp')[]>();
    // @ts-expect-error: 'crm' is not one of the declared systems.
    expect(() => loose.accept('crm', 'order', {})).toThrow(UnknownSystemError);
    // @ts-expect-error: 'invoice' is not a declared entity.
    expect(() => loose.accept('erp', 'invoice', {})).toThrow(UnknownEntityError);
  });
});

describe('defineOwnership types', () => {
  it('rejects misspelled systems, entities and fields at compile time', () => {
    const result = ownership.accept('crm', 'customer', { segment: 'b2b' });
    expectTypeOf(result.accepted).toEqualTypeOf<Partial<Customer>>();
    expectTypeOf(result.refused[0]?.field).toEqualTypeOf<keyof Customer | undefined>();
    expectTypeOf(result.refused[0]?.owner).toEqualTypeOf<'commerce' | 'erp' | 'crm' | undefined>();

    // Each line below must fail to compile; tsc (which checks src) reports an unused directive otherwise.
    const typeErrors = [
      // @ts-expect-error: misspelled source system.
      () => ownership.accept('comerce', 'customer', { email: 'x' }),
      // @ts-expect-error: misspelled field in the patch.
      () => ownership.accept('commerce', 'customer', { emial: 'x' }),
      // @ts-expect-error: wrong value type for a field.
      () => ownership.accept('commerce', 'customer', { creditLimit: 'high' }),
      // @ts-expect-error: unknown entity.
      () => ownership.accept('commerce', 'custmer', {}),
      // @ts-expect-error: misspelled field in ownerOf.
      () => ownership.ownerOf('product', 'prize'),
      // @ts-expect-error: misspelled target system.
      () => ownership.ownerOf('product', 'price', { target: 'erpp' }),
      () =>
        defineOwnership<{ customer: Customer }>()({
          systems: ['commerce', 'erp'] as const,
          // @ts-expect-error: misspelled default system.
          entities: { customer: { default: 'erpp' } },
        }),
      () =>
        defineOwnership<{ customer: Customer }>()({
          systems: ['commerce', 'erp'] as const,
          // @ts-expect-error: misspelled field in the field owners.
          entities: { customer: { default: 'erp', fields: { emial: 'commerce' } } },
        }),
      () =>
        defineOwnership<{ customer: Customer }>()({
          systems: ['commerce', 'erp'] as const,
          // @ts-expect-error: misspelled owner system of a field.
          entities: { customer: { default: 'erp', fields: { email: 'comerce' } } },
        }),
      () =>
        defineOwnership<{ customer: Customer }>()({
          systems: ['commerce', 'erp'] as const,
          // @ts-expect-error: misspelled direction target.
          entities: { customer: { default: 'erp', directions: { crm: { email: 'commerce' } } } },
        }),
      () =>
        defineOwnership<{ customer: Customer }>()({
          systems: ['commerce', 'erp'] as const,
          // @ts-expect-error: an entity missing from the declared record types.
          entities: { customer: { default: 'erp' }, invoice: { default: 'erp' } },
        }),
      () =>
        defineOwnership({
          systems: ['commerce', 'erp'] as const,
          // @ts-expect-error: misspelled system in the untyped form.
          entities: { order: { default: 'comerce' } },
        }),
    ];
    expect(typeErrors).toHaveLength(12);
  });
});
