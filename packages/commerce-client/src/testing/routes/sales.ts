import { MagentoFault, MESSAGES } from '../fault.js';
import { type Route, route } from '../router.js';
import type { CommerceEmulatorState } from '../state.js';
import { bodyField, intParam, optionalBody, search } from './common.js';

export function salesRoutes(state: CommerceEmulatorState, maxPageSize?: number): Route[] {
  const byId = <T>(map: Map<number, T>, id: number): T => {
    const entity = map.get(id);
    if (!entity) throw new MagentoFault(404, MESSAGES.entityMissing);
    return entity;
  };
  return [
    route('GET', '/V1/orders', 'Magento_Sales::actions_view', (c) =>
      search(c, state.orders.values(), maxPageSize),
    ),
    route('GET', '/V1/orders/:id', 'Magento_Sales::actions_view', (c) =>
      state.getOrder(intParam(c, 'id')),
    ),
    route('GET', '/V1/orders/:id/comments', 'Magento_Sales::actions_view', (c) => {
      const items = state.getOrder(intParam(c, 'id')).status_histories ?? [];
      return { items, search_criteria: { filter_groups: [] }, total_count: items.length };
    }),
    route('POST', '/V1/orders/:id/comments', 'Magento_Sales::comment', (c) =>
      state.addOrderComment(intParam(c, 'id'), bodyField(c, 'statusHistory')),
    ),
    route('POST', '/V1/orders/:id/hold', 'Magento_Sales::hold', (c) =>
      state.hold(intParam(c, 'id')),
    ),
    route('POST', '/V1/orders/:id/unhold', 'Magento_Sales::unhold', (c) =>
      state.unhold(intParam(c, 'id')),
    ),
    route('POST', '/V1/orders/:id/cancel', 'Magento_Sales::cancel', (c) =>
      state.cancel(intParam(c, 'id')),
    ),
    route('POST', '/V1/order/:orderId/invoice', 'Magento_Sales::sales_invoice', (c) =>
      state.invoice(intParam(c, 'orderId'), optionalBody(c) as never),
    ),
    route('POST', '/V1/order/:orderId/ship', 'Magento_Sales::ship', (c) =>
      state.ship(intParam(c, 'orderId'), optionalBody(c) as never),
    ),
    route('POST', '/V1/order/:orderId/refund', 'Magento_Sales::creditmemo', (c) =>
      state.refund(intParam(c, 'orderId'), optionalBody(c) as never),
    ),
    route('GET', '/V1/invoices', 'Magento_Sales::sales_invoice', (c) =>
      search(c, state.invoices.values(), maxPageSize),
    ),
    route('GET', '/V1/invoices/:id', 'Magento_Sales::sales_invoice', (c) =>
      byId(state.invoices, intParam(c, 'id')),
    ),
    route('GET', '/V1/shipments', 'Magento_Sales::shipment', (c) =>
      search(c, state.shipments.values(), maxPageSize),
    ),
    route('GET', '/V1/shipment/:id', 'Magento_Sales::shipment', (c) =>
      byId(state.shipments, intParam(c, 'id')),
    ),
    route('POST', '/V1/shipment/track', 'Magento_Sales::ship', (c) => {
      const entity = bodyField<Record<string, unknown>>(c, 'entity');
      const shipment = byId(state.shipments, Number(entity.parent_id));
      for (const field of ['track_number', 'title', 'carrier_code']) {
        if (typeof entity[field] !== 'string' || entity[field] === '') {
          throw new MagentoFault(400, MESSAGES.required, { fieldName: field });
        }
      }
      const stamp = state.timestamp();
      const track = {
        weight: null,
        qty: null,
        description: null,
        ...entity,
        entity_id: state.nextId('track'),
        order_id: shipment.order_id,
        parent_id: Number(shipment.entity_id),
        created_at: stamp,
        updated_at: stamp,
      } as never;
      state.tracks.set((track as { entity_id: number }).entity_id, track);
      shipment.tracks = [...shipment.tracks, track];
      return track;
    }),
    route('DELETE', '/V1/shipment/track/:id', 'Magento_Sales::ship', (c) => {
      const id = intParam(c, 'id');
      const track = byId(state.tracks, id);
      state.tracks.delete(id);
      const shipment = state.shipments.get(Number(track.parent_id));
      if (shipment) shipment.tracks = shipment.tracks.filter((t) => t.entity_id !== id);
      return true;
    }),
    route('GET', '/V1/creditmemos', 'Magento_Sales::sales_creditmemo', (c) =>
      search(c, state.creditMemos.values(), maxPageSize),
    ),
    route('GET', '/V1/creditmemo/:id', 'Magento_Sales::sales_creditmemo', (c) =>
      byId(state.creditMemos, intParam(c, 'id')),
    ),
  ];
}
