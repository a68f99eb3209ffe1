import {
  addReturnComment,
  addReturnTrack,
  createReturn,
  deleteReturnTrack,
  getReturn,
  updateReturn,
} from '../rma.js';
import { RETURN_ATTRIBUTES, returnAttribute } from '../rma-attributes.js';
import { type Route, route } from '../router.js';
import type { CommerceEmulatorState } from '../state.js';
import { bodyField, intParam, search } from './common.js';

const ACL = 'Magento_Rma::magento_rma';

/** A return's comments or tracks answered as Magento's search result. */
function listOf<T>(items: T[]) {
  return { items, search_criteria: { filter_groups: [] }, total_count: items.length };
}

/** Returns (RMA, Magento_Rma): `/V1/returns` and its comments and tracking numbers. */
export function returnRoutes(state: CommerceEmulatorState, maxPageSize?: number): Route[] {
  return [
    route('GET', '/V1/returns', ACL, (c) => search(c, state.returns.values(), maxPageSize)),
    route('POST', '/V1/returns', ACL, (c) => createReturn(state, bodyField(c, 'rmaDataObject'))),
    route('GET', '/V1/returns/:id', ACL, (c) => getReturn(state, intParam(c, 'id'))),
    route('PUT', '/V1/returns/:id', ACL, (c) =>
      updateReturn(state, intParam(c, 'id'), bodyField(c, 'rmaDataObject')),
    ),
    route('GET', '/V1/returns/:id/comments', ACL, (c) =>
      listOf(getReturn(state, intParam(c, 'id')).comments),
    ),
    route('POST', '/V1/returns/:id/comments', ACL, (c) =>
      addReturnComment(state, intParam(c, 'id'), bodyField(c, 'data')),
    ),
    route('GET', '/V1/returns/:id/tracking-numbers', ACL, (c) =>
      listOf(getReturn(state, intParam(c, 'id')).tracks),
    ),
    route('POST', '/V1/returns/:id/tracking-numbers', ACL, (c) =>
      addReturnTrack(state, intParam(c, 'id'), bodyField(c, 'track')),
    ),
    route('DELETE', '/V1/returns/:id/tracking-numbers/:trackId', ACL, (c) =>
      deleteReturnTrack(state, intParam(c, 'id'), intParam(c, 'trackId')),
    ),
    route('GET', '/V1/returnsAttributeMetadata', ACL, () => RETURN_ATTRIBUTES),
    route('GET', '/V1/returnsAttributeMetadata/:attributeCode', ACL, (c) =>
      returnAttribute(c.params.attributeCode ?? ''),
    ),
  ];
}
