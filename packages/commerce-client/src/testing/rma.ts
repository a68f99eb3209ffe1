import type { components } from '../generated/schema.js';
import { MagentoFault, MESSAGES, required } from './fault.js';
import { castFloat, castInt } from './input-cast.js';
import type {
  CommerceEmulatorState,
  EmulatorOrderItem,
  EmulatorRma,
  EmulatorRmaItem as RmaItem,
} from './state.js';

type RmaComment = components['schemas']['RmaComment'];
type RmaTrack = components['schemas']['RmaTrack'];

/** Item statuses (`Magento\Rma\Model\Item\Attribute\Source\Status`). */
export const RMA_ITEM_STATUSES = [
  'pending',
  'authorized',
  'denied',
  'received',
  'approved',
  'rejected',
] as const;
export type RmaItemStatus = (typeof RMA_ITEM_STATUSES)[number];

/**
 * The statuses an item may move to from each status (`Magento\Rma\Model\Item\Status::
 * getAllowedStatuses`): pending → authorized or denied, authorized → received, received →
 * approved or rejected; denied, approved and rejected are final.
 */
const NEXT: Record<RmaItemStatus, readonly RmaItemStatus[]> = {
  pending: ['authorized', 'denied'],
  authorized: ['received'],
  received: ['approved', 'rejected'],
  denied: [],
  approved: [],
  rejected: [],
};

/** The quantity an item must carry once it reaches a status, and the quantity that bounds it. */
const QTY_FOR: Partial<
  Record<RmaItemStatus, ['qty_authorized' | 'qty_returned' | 'qty_approved', keyof RmaItem]>
> = {
  authorized: ['qty_authorized', 'qty_requested'],
  received: ['qty_returned', 'qty_authorized'],
  approved: ['qty_approved', 'qty_returned'],
};

/** Return statuses in which nothing can change any more. */
const FINAL_RETURN_STATUSES = new Set(['closed', 'processed_closed']);

/**
 * The return's status from its items' statuses, with the outcome of
 * `Magento\Rma\Model\Rma\Source\Status::getStatusByItems`: the most advanced decision wins, and
 * a return whose items are all decided is closed (processed_closed when anything was approved).
 */
export function returnStatusOf(itemStatuses: readonly string[]): string {
  const set = new Set(itemStatuses);
  const undecided = ['pending', 'authorized', 'received'].some((s) => set.has(s));
  const only = (status: string) => set.size === 1 && set.has(status);
  if (set.has('approved')) return undecided ? 'approved_on_item' : 'processed_closed';
  if (set.has('rejected')) return undecided ? 'rejected_on_item' : 'closed';
  if (set.has('received')) return only('received') ? 'received' : 'received_on_item';
  if (set.has('authorized')) return only('authorized') ? 'authorized' : 'partially_authorized';
  if (set.has('pending')) return 'pending';
  return 'closed'; // every item denied
}

function invalid(message: string, parameters: unknown[]): MagentoFault {
  return new MagentoFault(400, message, parameters);
}

export function getReturn(state: CommerceEmulatorState, id: number): EmulatorRma {
  const rma = state.returns.get(id);
  if (!rma) throw new MagentoFault(404, MESSAGES.entityMissing);
  return rma;
}

/**
 * What of an order line can still be returned, as Magento_Rma's
 * `ResourceModel\Item::getReturnableItems` and `getOrderItemsCollection` count it: shipped, less
 * what open returns (neither closed nor processed_closed) request, and never more than shipped
 * less `qty_returned`.
 */
function returnableQuantity(state: CommerceEmulatorState, line: EmulatorOrderItem): number {
  let requested = 0;
  for (const rma of state.returns.values()) {
    if (FINAL_RETURN_STATUSES.has(rma.status)) continue;
    for (const item of rma.items) {
      if (item.order_item_id === line.item_id) requested += Number(item.qty_requested);
    }
  }
  const shipped = Number(line.qty_shipped ?? 0);
  return Math.max(0, Math.min(shipped - requested, shipped - Number(line.qty_returned ?? 0)));
}

/** `POST /V1/returns`: a new return for shipped items of an order, every item pending. */
export function createReturn(
  state: CommerceEmulatorState,
  input: Partial<EmulatorRma>,
): EmulatorRma {
  if (!input || typeof input !== 'object') throw required('rmaDataObject');
  if (input.order_id === undefined) throw required('order_id');
  const order = state.getOrder(castInt(input.order_id));
  if (!Array.isArray(input.items) || input.items.length === 0) throw required('items');
  const id = state.nextId('rma');
  const stamp = state.timestamp();
  const asked = new Map<number, number>();
  const items: RmaItem[] = input.items.map((given, index) => {
    const item = newItem(state, order.items, given, id, index);
    const line = orderItemOf(order.items, item.order_item_id);
    const total = (asked.get(item.order_item_id) ?? 0) + item.qty_requested;
    asked.set(item.order_item_id, total);
    if (total > returnableQuantity(state, line)) {
      throw invalid('A quantity of %1 is greater than you can return.', [
        line.name ?? item.order_item_id,
      ]);
    }
    return item;
  });
  const rma: EmulatorRma = {
    entity_id: id,
    increment_id: String(id).padStart(9, '0'),
    order_id: Number(order.entity_id),
    order_increment_id: String(order.increment_id),
    store_id: Number(order.store_id ?? 1),
    // Required by the interface: a guest order's return has no customer (null).
    customer_id: (order.customer_id ?? null) as number,
    date_requested: stamp,
    customer_custom_email: (input.customer_custom_email ?? null) as string,
    status: 'pending',
    items,
    comments: [],
    tracks: [],
  };
  state.returns.set(id, rma);
  // Item statuses given at creation move through the same checks as an update.
  if (input.items.some((i) => i?.status !== undefined && i.status !== 'pending')) {
    applyItemChanges(state, rma, input.items, (_, index) => rma.items[index]);
  }
  return rma;
}

function orderItemOf(items: EmulatorOrderItem[], orderItemId: number): EmulatorOrderItem {
  const item = items.find((i) => i.item_id === orderItemId && i.parent_item_id === undefined);
  if (!item)
    throw new MagentoFault(404, MESSAGES.noSuchEntity, {
      fieldName: 'order_item_id',
      fieldValue: orderItemId,
    });
  return item;
}

function newItem(
  state: CommerceEmulatorState,
  orderItems: EmulatorOrderItem[],
  given: Partial<RmaItem> | undefined,
  rmaId: number,
  index: number,
): RmaItem {
  if (!given || typeof given !== 'object') throw required(`items[${index}]`);
  if (given.order_item_id === undefined) throw required('order_item_id');
  const orderItemId = castInt(given.order_item_id);
  orderItemOf(orderItems, orderItemId);
  if (given.qty_requested === undefined) throw required('qty_requested');
  const qty = castFloat(given.qty_requested);
  if (!(qty > 0))
    throw invalid('Enter a quantity greater than 0 to return for item %1.', [orderItemId]);
  for (const field of ['reason', 'condition', 'resolution'] as const) {
    if (given[field] === undefined || given[field] === '') throw required(field);
  }
  return {
    entity_id: state.nextId('rma_item'),
    rma_entity_id: rmaId,
    order_item_id: orderItemId,
    qty_requested: qty,
    // Unset quantities are NULL columns, sent as null (the interface requires them).
    qty_authorized: null as unknown as number,
    qty_approved: null as unknown as number,
    qty_returned: null as unknown as number,
    reason: String(given.reason),
    condition: String(given.condition),
    resolution: String(given.resolution),
    status: 'pending',
  };
}

/**
 * `PUT /V1/returns/{id}`: item status changes (matched by item `entity_id`, else by
 * `order_item_id`) with their quantities, or `status: "closed"` to close the return (the Admin's
 * Close). Otherwise the return's status follows its items; an approved item counts as returned
 * on its order line.
 */
export function updateReturn(
  state: CommerceEmulatorState,
  id: number,
  input: Partial<Omit<EmulatorRma, 'items'>> & { items?: Partial<RmaItem>[] },
): EmulatorRma {
  const rma = getReturn(state, id);
  if (!input || typeof input !== 'object') throw required('rmaDataObject');
  if (FINAL_RETURN_STATUSES.has(String(rma.status))) {
    throw invalid('Return #%1 is %2 and can no longer be changed.', [rma.increment_id, rma.status]);
  }
  if (Array.isArray(input.items) && input.items.length > 0) {
    applyItemChanges(state, rma, input.items, (given) => findItem(rma, given));
  }
  // Any other status is derived from the items (a full rmaDataObject echoes the old one).
  if (input.status === 'closed') rma.status = 'closed';
  return rma;
}

function findItem(rma: EmulatorRma, given: Partial<RmaItem> | undefined): RmaItem {
  const byId = given?.entity_id === undefined ? undefined : castInt(given.entity_id);
  const byOrderItem = given?.order_item_id === undefined ? undefined : castInt(given.order_item_id);
  const item = rma.items.find((i) =>
    byId !== undefined ? i.entity_id === byId : i.order_item_id === byOrderItem,
  );
  if (!item) {
    throw new MagentoFault(404, MESSAGES.noSuchEntity, {
      fieldName: byId !== undefined ? 'entity_id' : 'order_item_id',
      fieldValue: byId ?? byOrderItem ?? null,
    });
  }
  return item;
}

/** Check every change first, then apply them all, so a refused request changes nothing. */
function applyItemChanges(
  state: CommerceEmulatorState,
  rma: EmulatorRma,
  given: Partial<RmaItem>[],
  target: (given: Partial<RmaItem>, index: number) => RmaItem | undefined,
): void {
  const changes = given.map((change, index) => {
    const item = target(change, index);
    if (!item) throw required(`items[${index}]`);
    return { item, next: nextItem(item, change) };
  });
  const order = state.getOrder(Number(rma.order_id));
  for (const { item, next } of changes) {
    if (next.status === 'approved' && item.status !== 'approved') {
      const line = orderItemOf(order.items, item.order_item_id);
      line.qty_returned = Number(line.qty_returned ?? 0) + Number(next.qty_approved);
    }
    Object.assign(item, next);
  }
  rma.status = returnStatusOf(rma.items.map((i) => String(i.status)));
}

function nextItem(item: RmaItem, change: Partial<RmaItem>): RmaItem {
  const from = item.status as RmaItemStatus;
  const to = (change.status ?? from) as RmaItemStatus;
  if (!RMA_ITEM_STATUSES.includes(to)) {
    throw invalid('This is the wrong RMA item status.', []);
  }
  if (to !== from && !NEXT[from].includes(to)) {
    throw invalid('The return item %1 cannot change from status "%2" to "%3".', [
      item.entity_id,
      from,
      to,
    ]);
  }
  const next: RmaItem = { ...item, status: to };
  const rule = QTY_FOR[to];
  if (rule && to !== from) {
    const [field, bound] = rule;
    const given = change[field];
    const qty = given === undefined || given === null ? Number(item[bound]) : castFloat(given);
    if (!(qty > 0) || qty > Number(item[bound])) {
      throw invalid('There is an error in quantities for item %1.', [item.entity_id]);
    }
    next[field] = qty;
  }
  return next;
}

/** `POST /V1/returns/{id}/comments`: an admin comment with the return's current status. */
export function addReturnComment(
  state: CommerceEmulatorState,
  id: number,
  data: Partial<RmaComment> | undefined,
): true {
  const rma = getReturn(state, id);
  if (!data || typeof data.comment !== 'string' || data.comment === '') throw required('comment');
  rma.comments = [
    ...rma.comments,
    {
      entity_id: state.nextId('rma_comment'),
      rma_entity_id: id,
      comment: data.comment,
      created_at: state.timestamp(),
      customer_notified: data.customer_notified === true,
      visible_on_front: data.visible_on_front === true,
      status: String(rma.status),
      admin: true,
    },
  ];
  return true;
}

/** `POST /V1/returns/{id}/tracking-numbers`: the carrier's tracking number of the return parcel. */
export function addReturnTrack(
  state: CommerceEmulatorState,
  id: number,
  track: Partial<RmaTrack> | undefined,
): true {
  const rma = getReturn(state, id);
  for (const field of ['track_number', 'carrier_code'] as const) {
    if (!track || typeof track[field] !== 'string' || track[field] === '') throw required(field);
  }
  const saved = track as RmaTrack;
  rma.tracks = [
    ...rma.tracks,
    {
      entity_id: state.nextId('rma_track'),
      rma_entity_id: id,
      track_number: saved.track_number,
      carrier_title: saved.carrier_title ?? saved.carrier_code,
      carrier_code: saved.carrier_code,
    },
  ];
  return true;
}

export function deleteReturnTrack(state: CommerceEmulatorState, id: number, trackId: number): true {
  const rma = getReturn(state, id);
  if (!rma.tracks.some((t) => t.entity_id === trackId)) {
    throw new MagentoFault(404, MESSAGES.entityMissing);
  }
  rma.tracks = rma.tracks.filter((t) => t.entity_id !== trackId);
  return true;
}
