import type { components } from '../generated/schema.js';
import { notFoundEntity } from './fault.js';

type AttributeMetadata = components['schemas']['AttributeMetadata'];

/**
 * The return line attributes a store ships with: Return Reason (Wrong Color, Wrong Size, Out of
 * Service, Other), Other (free text), Item Condition (Unopened, Opened, Damaged) and Resolution
 * (Exchange, Refund, Store Credit), as Adobe's Returns page lists them
 * (https://experienceleague.adobe.com/docs/commerce-admin/stores-sales/order-management/returns/returns.html).
 * Option values are emulator ids (a store's are its EAV option ids).
 */
function select(code: string, label: string, order: number, options: string[]): AttributeMetadata {
  return {
    ...base(code, label, order),
    frontend_input: 'select',
    backend_type: 'int',
    required: true,
    options: options.map((option, index) => ({
      label: option,
      value: String(order * 10 + index + 1),
    })),
  };
}

function base(code: string, label: string, order: number): AttributeMetadata {
  return {
    attribute_code: code,
    frontend_input: 'text',
    frontend_label: label,
    store_label: label,
    input_filter: '',
    frontend_class: '',
    backend_type: 'varchar',
    data_model: '',
    note: '',
    multiline_count: 0,
    sort_order: order,
    required: false,
    visible: true,
    system: true,
    user_defined: false,
    options: [],
    validation_rules: [],
  };
}

export const RETURN_ATTRIBUTES: readonly AttributeMetadata[] = [
  select('reason', 'Return Reason', 1, ['Wrong Color', 'Wrong Size', 'Out of Service', 'Other']),
  base('reason_other', 'Other', 2),
  select('condition', 'Item Condition', 3, ['Unopened', 'Opened', 'Damaged']),
  select('resolution', 'Resolution', 4, ['Exchange', 'Refund', 'Store Credit']),
];

export function returnAttribute(code: string): AttributeMetadata {
  const attribute = RETURN_ATTRIBUTES.find((a) => a.attribute_code === code);
  if (!attribute) throw notFoundEntity('attributeCode', code);
  return attribute;
}
