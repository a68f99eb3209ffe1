import type { z } from 'zod';
import type { CommerceClient } from './client.js';
import type { components } from './generated/schema.js';
import { parseEntity, schemas } from './schemas/index.js';

export { RMA_ITEM_STATUS, RMA_STATUS } from './schemas/returns.js';

/** A return as the store answers it (validated by `schemas.rma`). */
export type Rma = z.output<typeof schemas.rma>;
/** What `createReturn` sends: the order, and per line the quantity, reason, condition, resolution. */
export type NewRma = components['schemas']['Rma'];
/** A change to one return line: its `entity_id`, the next `status` and that step's quantity. */
export interface RmaItemChange {
  entity_id: number;
  status: 'authorized' | 'denied' | 'received' | 'approved' | 'rejected';
  qty_authorized?: number;
  qty_returned?: number;
  qty_approved?: number;
}

const parseRma = (data: unknown) => parseEntity(schemas.rma, data, 'rma');

/** `POST /V1/returns`: create a return; answers the saved return (status `pending`). */
export async function createReturn(client: CommerceClient, rma: NewRma): Promise<Rma> {
  const { data } = await client.POST('/V1/returns', { body: { rmaDataObject: rma } });
  return parseRma(data);
}

/** `GET /V1/returns/{id}`. */
export async function getReturn(client: CommerceClient, id: number): Promise<Rma> {
  const { data } = await client.GET('/V1/returns/{id}', { params: { path: { id } } });
  return parseRma(data);
}

/**
 * `PUT /V1/returns/{id}`: move lines to their next status (pending → authorized or denied,
 * authorized → received, received → approved or rejected) with that step's quantity. Sends the
 * whole return with the changed lines, as Magento's RmaInterface is a full object; the answer's
 * `status` follows the lines' statuses.
 */
export async function updateReturnItems(
  client: CommerceClient,
  rma: Rma,
  changes: RmaItemChange[],
): Promise<Rma> {
  const items = rma.items.map((item) => {
    const change = changes.find((c) => c.entity_id === item.entity_id);
    return change ? { ...item, ...change } : item;
  });
  return saveReturn(client, { ...rma, items });
}

/** `PUT /V1/returns/{id}` with status `closed`: the Admin's Close (no line changes). */
export async function closeReturn(client: CommerceClient, rma: Rma): Promise<Rma> {
  return saveReturn(client, { ...rma, status: 'closed' });
}

async function saveReturn(client: CommerceClient, rma: Rma): Promise<Rma> {
  const { data } = await client.PUT('/V1/returns/{id}', {
    params: { path: { id: rma.entity_id } },
    body: { rmaDataObject: rma as NewRma },
  });
  return parseRma(data);
}

/** `POST /V1/returns/{id}/tracking-numbers`: the return parcel's tracking number. */
export async function addReturnTrack(
  client: CommerceClient,
  id: number,
  track: { track_number: string; carrier_code: string; carrier_title?: string },
): Promise<void> {
  await client.POST('/V1/returns/{id}/tracking-numbers', {
    params: { path: { id } },
    body: { track },
  });
}

/** `POST /V1/returns/{id}/comments`. */
export async function addReturnComment(
  client: CommerceClient,
  id: number,
  comment: { comment: string; customer_notified?: boolean; visible_on_front?: boolean },
): Promise<void> {
  await client.POST('/V1/returns/{id}/comments', {
    params: { path: { id } },
    body: { data: comment },
  });
}
