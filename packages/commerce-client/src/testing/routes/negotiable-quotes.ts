import { type Route, route } from '../router.js';
import type { CommerceEmulatorState } from '../state.js';
import { bodyParam, intBodyParam, requiredBodyParam } from './body-params.js';
import { cartView } from './carts.js';
import { intParam, search } from './common.js';

/**
 * Negotiable quotes (https://developer.adobe.com/commerce/webapi/rest/b2b/negotiable-manage/):
 * request, draft, submit to the buyer, decline, the seller's update and the comments. A quote is
 * read as its cart (`GET /V1/carts/{cartId}`, `extension_attributes.negotiable_quote`) and listed
 * with `GET /V1/carts/search`.
 */
export function negotiableQuoteRoutes(state: CommerceEmulatorState, maxPageSize?: number): Route[] {
  const store = state.b2b.negotiableQuotes;
  const acl = 'Magento_NegotiableQuote::manage';
  return [
    route('POST', '/V1/negotiableQuote/request', acl, (c) =>
      store.request(
        intBodyParam(c, 'quoteId'),
        requiredBodyParam(c, 'quoteName'),
        bodyParam(c, 'comment'),
        bodyParam(c, 'files'),
      ),
    ),
    route('POST', '/V1/negotiableQuote/draft', acl, (c) =>
      store.draft(requiredBodyParam(c, 'customerId')),
    ),
    route('POST', '/V1/negotiableQuote/submitToCustomer', acl, (c) =>
      store.submitToCustomer(
        intBodyParam(c, 'quoteId'),
        bodyParam(c, 'comment'),
        bodyParam(c, 'files'),
      ),
    ),
    route('POST', '/V1/negotiableQuote/decline', acl, (c) =>
      store.decline(intBodyParam(c, 'quoteId'), requiredBodyParam(c, 'reason')),
    ),
    route('PUT', '/V1/negotiableQuote/:quoteId', acl, (c) =>
      store.update(intParam(c, 'quoteId'), requiredBodyParam(c, 'quote')),
    ),
    route('GET', '/V1/negotiableQuote/:quoteId/comments', acl, (c) =>
      store.commentsOf(intParam(c, 'quoteId')),
    ),
    route('GET', '/V1/carts/search', 'Magento_Cart::manage', (c) =>
      search(
        c,
        [...state.carts.values()]
          .filter((cart) => cart.id !== undefined)
          .map((cart) => cartView(state, cart)),
        maxPageSize,
      ),
    ),
  ];
}
