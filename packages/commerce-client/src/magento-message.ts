/**
 * Fill Magento's message placeholders: `%1`, `%2` … from an array of parameters, `%name` from
 * an object. Unknown placeholders are left as they are.
 */
export function formatMagentoMessage(
  message: string,
  parameters?: unknown[] | Record<string, unknown> | null,
): string {
  if (parameters === undefined || parameters === null) return message;
  if (Array.isArray(parameters)) {
    return message.replace(/%(\d+)/g, (whole, index: string) => {
      const value = parameters[Number(index) - 1];
      return value === undefined ? whole : String(value);
    });
  }
  if (typeof parameters === 'object') {
    return message.replace(/%([A-Za-z0-9_]+)/g, (whole, name: string) =>
      Object.hasOwn(parameters, name) ? String(parameters[name]) : whole,
    );
  }
  return message;
}
