import { MagentoFault } from './fault.js';
import type { CommerceEmulatorState, EmulatorProduct } from './state.js';

export interface ConfigurableItemOption {
  option_id: string;
  option_value: number;
}

/**
 * The child a cart item's `configurable_item_options` pick (Adobe's order-processing tutorial,
 * step 5): each option names the parent's option attribute (`option_id`) and a value the child
 * carries in that attribute. Without options, or when no linked child matches, Magento refuses
 * with `You need to choose options for your item.`
 */
export function chosenChild(
  state: CommerceEmulatorState,
  parent: EmulatorProduct,
  options: unknown,
): { child: EmulatorProduct; options: ConfigurableItemOption[] } {
  const refused = () => new MagentoFault(400, 'You need to choose options for your item.');
  if (!Array.isArray(options) || options.length === 0) throw refused();
  const chosen = options.map((o) => ({
    option_id: String((o as ConfigurableItemOption)?.option_id),
    option_value: Number((o as ConfigurableItemOption)?.option_value),
  }));
  const attributes = parent.extension_attributes?.configurable_product_options ?? [];
  // The emulator names an option's attribute by its label (`Size` is the `size` attribute).
  const codeOf = (optionId: string) =>
    attributes.find((a) => String(a.attribute_id) === optionId)?.label?.toLowerCase();
  const linked = new Set(parent.extension_attributes?.configurable_product_links ?? []);
  const child = [...state.products.values()].find(
    (p) =>
      linked.has(Number(p.id)) &&
      chosen.every((o) => {
        const code = codeOf(o.option_id);
        const value = (p.custom_attributes ?? []).find((a) => a.attribute_code === code)?.value;
        return code !== undefined && Number(value) === o.option_value;
      }),
  );
  if (!child) throw refused();
  return { child, options: chosen };
}
