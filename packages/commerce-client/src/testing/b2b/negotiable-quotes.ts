import type { components } from '../../generated/schema.js';
import { cartTotals } from '../checkout.js';
import { MagentoFault, notFoundEntity, required } from '../fault.js';
import type { CommerceEmulatorState, EmulatorCart } from '../state.js';

type Schemas = components['schemas'];
export type EmulatorNegotiableQuote = Schemas['NegotiableQuote'] & Record<string, unknown>;
export type EmulatorQuoteComment = Schemas['NegotiableQuoteComment'];

/**
 * The system states of a negotiable quote, as Adobe lists them
 * (https://developer.adobe.com/commerce/webapi/rest/b2b/negotiable-quote/).
 */
export const NEGOTIABLE_QUOTE_STATUS = [
  'draft_by_admin',
  'created',
  'processing_by_customer',
  'processing_by_admin',
  'submitted_by_customer',
  'submitted_by_admin',
  'ordered',
  'expired',
  'declined',
  'closed',
] as const;
export type NegotiableQuoteStatus = (typeof NEGOTIABLE_QUOTE_STATUS)[number];

/** Where the seller may act (https://developer.adobe.com/commerce/webapi/rest/b2b/negotiable-manage/). */
const SUBMITTABLE = new Set([
  'draft_by_admin',
  'created',
  'processing_by_admin',
  'submitted_by_customer',
]);
const DECLINABLE = new Set(['created', 'processing_by_admin', 'submitted_by_customer']);
const EDITABLE = SUBMITTABLE;

const ADMIN = { type: 2, id: 1 };

interface Attachment {
  base64_encoded_data?: unknown;
  name?: unknown;
  type?: unknown;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Negotiable quotes: a negotiable state on a customer's cart, with the comments exchanged. */
export class NegotiableQuoteStore {
  readonly quotes = new Map<number, EmulatorNegotiableQuote>();
  readonly comments: EmulatorQuoteComment[] = [];
  readonly #state: CommerceEmulatorState;

  constructor(state: CommerceEmulatorState) {
    this.#state = state;
  }

  #cart(quoteId: number): EmulatorCart {
    const cart = [...this.#state.carts.values()].find((c) => c.id === quoteId);
    if (!cart) throw notFoundEntity('cartId', quoteId);
    return cart;
  }

  #quote(quoteId: number): EmulatorNegotiableQuote {
    const quote = this.quotes.get(quoteId);
    if (!quote) throw notFoundEntity('quoteId', quoteId);
    return quote;
  }

  /** The state a quote is in now: an ordered cart is `ordered`; a submitted one past its date `expired`. */
  status(quoteId: number): NegotiableQuoteStatus {
    const quote = this.#quote(quoteId);
    if (this.#cart(quoteId).orderId !== undefined) return 'ordered';
    const expires = quote.expiration_period;
    if (
      quote.status === 'submitted_by_admin' &&
      typeof expires === 'string' &&
      expires < this.#state.timestamp().slice(0, 10)
    )
      return 'expired';
    return quote.status as NegotiableQuoteStatus;
  }

  #companyCustomer(customerId: number | undefined, quoteId: number): number {
    if (customerId === undefined || this.#state.b2b.companies.companyOf(customerId) === 0) {
      throw new MagentoFault(
        400,
        'The quote %1 belongs to no company user and cannot be negotiated.',
        [quoteId],
      );
    }
    return customerId;
  }

  /** `POST /V1/negotiableQuote/request`: a company user's cart with items becomes `created`. */
  request(quoteId: number, name: unknown, comment: unknown, files: unknown): true {
    const cart = this.#cart(quoteId);
    if (cart.orderId !== undefined) throw notFoundEntity('cartId', quoteId);
    if (this.quotes.has(quoteId)) {
      throw new MagentoFault(400, 'The quote %1 is already a negotiable quote.', [quoteId]);
    }
    if (typeof name !== 'string' || name.trim() === '') throw required('quoteName');
    const customerId = this.#companyCustomer(cart.customerId, quoteId);
    if (cart.items.length === 0) {
      throw new MagentoFault(400, 'Cannot create a negotiable quote for an empty cart.');
    }
    const attachments = this.#files(files);
    this.quotes.set(quoteId, this.#fresh(quoteId, name, 'created', { type: 3, id: customerId }));
    this.#comment(quoteId, { type: 3, id: customerId }, comment, attachments);
    return true;
  }

  /** `POST /V1/negotiableQuote/draft`: an empty quote for a buyer, visible only to the seller. */
  draft(customerId: unknown): number {
    if (customerId === undefined || customerId === null) throw required('customerId');
    const customer = this.#state.getCustomer(Number(customerId));
    const id = this.#state.nextId('quote');
    this.#companyCustomer(customer.id, id);
    this.#state.carts.set(String(id), { id, customerId: Number(customer.id), items: [] });
    this.quotes.set(id, this.#fresh(id, '', 'draft_by_admin', ADMIN));
    return id;
  }

  #fresh(
    quoteId: number,
    name: string,
    status: NegotiableQuoteStatus,
    creator: { type: number; id: number },
  ): EmulatorNegotiableQuote {
    return {
      quote_id: quoteId,
      is_regular_quote: true,
      status,
      negotiated_price_type: null,
      negotiated_price_value: null,
      shipping_price: null,
      quote_name: name,
      expiration_period: null,
      email_notification_status: 0,
      has_unconfirmed_changes: false,
      is_shipping_tax_changed: false,
      is_customer_price_changed: false,
      notifications: null,
      applied_rule_ids: null,
      is_address_draft: false,
      deleted_sku: null,
      creator_id: creator.id,
      creator_type: creator.type,
    };
  }

  #guard(quoteId: number, allowed: Set<string>): EmulatorNegotiableQuote {
    const quote = this.#quote(quoteId);
    const status = this.status(quoteId);
    if (!allowed.has(status)) {
      throw new MagentoFault(400, 'The quote %1 cannot be changed in the %2 state.', [
        quoteId,
        status,
      ]);
    }
    return quote;
  }

  /** `POST /V1/negotiableQuote/submitToCustomer`: back to the buyer, `submitted_by_admin`. */
  submitToCustomer(quoteId: number, comment: unknown, files: unknown): true {
    const quote = this.#guard(quoteId, SUBMITTABLE);
    const attachments = this.#files(files);
    quote.status = 'submitted_by_admin';
    this.#comment(quoteId, ADMIN, comment, attachments);
    return true;
  }

  /** `POST /V1/negotiableQuote/decline`: `declined`, with the custom pricing removed. */
  decline(quoteId: number, reason: unknown): true {
    if (typeof reason !== 'string' || reason.trim() === '') throw required('reason');
    const quote = this.#guard(quoteId, DECLINABLE);
    Object.assign(quote, {
      status: 'declined',
      negotiated_price_type: null,
      negotiated_price_value: null,
      shipping_price: null,
    });
    this.#comment(quoteId, ADMIN, reason, [], { is_decline: 1 });
    return true;
  }

  /** `PUT /V1/negotiableQuote/{quoteId}`: the seller edits; a buyer's request becomes `processing_by_admin`. */
  update(quoteId: number, input: unknown): [] {
    const quote = this.#guard(quoteId, EDITABLE);
    const fields = ((input as { extension_attributes?: { negotiable_quote?: unknown } } | undefined)
      ?.extension_attributes?.negotiable_quote ?? {}) as Record<string, unknown>;
    const type = fields.negotiated_price_type ?? quote.negotiated_price_type;
    const value = fields.negotiated_price_value ?? quote.negotiated_price_value;
    if (type !== null && type !== undefined) {
      if (type !== 1 && type !== 2 && type !== 3) this.#invalid('negotiated_price_type', type);
      if (typeof value !== 'number' || value < 0 || (type === 1 && value > 100))
        this.#invalid('negotiated_price_value', value);
    }
    const expires = fields.expiration_period;
    if (
      expires !== undefined &&
      (typeof expires !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(expires))
    )
      this.#invalid('expiration_period', expires);
    for (const key of [
      'negotiated_price_type',
      'negotiated_price_value',
      'shipping_price',
      'quote_name',
      'expiration_period',
    ])
      if (fields[key] !== undefined) quote[key] = fields[key];
    if (quote.status === 'created' || quote.status === 'submitted_by_customer')
      quote.status = 'processing_by_admin';
    return [];
  }

  #invalid(fieldName: string, value: unknown): never {
    throw new MagentoFault(400, 'Invalid value of "%value" provided for the %fieldName field.', {
      value: String(value),
      fieldName,
    });
  }

  #files(files: unknown): Attachment[] {
    if (files === undefined || files === null) return [];
    if (!Array.isArray(files)) throw required('files');
    if (files.length > 10) throw new MagentoFault(400, 'You can attach up to 10 files.');
    files.forEach((file: Attachment, index) => {
      if (typeof file?.base64_encoded_data !== 'string')
        throw required(`files[${index}].base64_encoded_data`);
      if (typeof file.name !== 'string' || file.name === '') throw required(`files[${index}].name`);
    });
    return files as Attachment[];
  }

  #comment(
    quoteId: number,
    creator: { type: number; id: number },
    text: unknown,
    files: Attachment[],
    extra: Partial<EmulatorQuoteComment> = {},
  ): void {
    if ((typeof text !== 'string' || text === '') && files.length === 0) return;
    const id = this.#state.nextId('negotiable_quote_comment');
    this.comments.push({
      entity_id: id,
      parent_id: quoteId,
      creator_type: creator.type,
      is_decline: 0,
      is_draft: 0,
      creator_id: creator.id,
      comment: typeof text === 'string' ? text : '',
      created_at: this.#state.timestamp(),
      attachments: files.map((file) => {
        const name = String(file.name);
        return {
          attachment_id: this.#state.nextId('negotiable_quote_attachment'),
          comment_id: id,
          file_name: name,
          file_path: `/${name[0] ?? 'x'}/${name[1] ?? 'x'}/${name}`,
          file_type: typeof file.type === 'string' ? file.type : null,
        };
      }),
      ...extra,
    });
  }

  commentsOf(quoteId: number): EmulatorQuoteComment[] {
    this.#quote(quoteId);
    return this.comments.filter((c) => c.parent_id === quoteId);
  }

  /** `extension_attributes.negotiable_quote` of a negotiable cart, with its totals. */
  view(cart: EmulatorCart): EmulatorNegotiableQuote | undefined {
    const quote = cart.id === undefined ? undefined : this.quotes.get(cart.id);
    if (!quote || cart.id === undefined) return undefined;
    const original = round(cartTotals(this.#state, cart).subtotal);
    const negotiated = round(this.#negotiated(quote, original));
    return {
      ...quote,
      status: this.status(cart.id),
      original_total_price: original,
      base_original_total_price: original,
      negotiated_total_price: negotiated,
      base_negotiated_total_price: negotiated,
    };
  }

  /** 1 percentage discount, 2 amount discount, 3 proposed total. */
  #negotiated(quote: EmulatorNegotiableQuote, original: number): number {
    const value = Number(quote.negotiated_price_value ?? 0);
    if (quote.negotiated_price_type === 1) return original * (1 - value / 100);
    if (quote.negotiated_price_type === 2) return Math.max(0, original - value);
    if (quote.negotiated_price_type === 3) return value;
    return original;
  }

  /** Adobe: a deleted user's quotes are locked and Closed. */
  customerDeleted(customerId: number): void {
    for (const [quoteId, quote] of this.quotes) {
      const cart = [...this.#state.carts.values()].find((c) => c.id === quoteId);
      if (cart?.customerId === customerId) quote.status = 'closed';
    }
  }
}
