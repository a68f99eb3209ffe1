import type { ErrorDetailInit } from './error-response.js';
import type { RecordData, RecordStore } from './store.js';

/*
 * Customer hierarchies (Oracle, "Creating a Subcustomer Record",
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N1085616.html): a
 * subcustomer is a customer whose `parent` names another customer, and subcustomers can have
 * subcustomers of their own. NetSuite offers as a customer's parent only the other customers
 * outside its own branch, so a parent that is the customer itself, one of its subcustomers, or no
 * customer at all is refused the way NetSuite refuses any select value it does not offer.
 */

/** The id of a reference value (`{ id }`), when it has one. */
export function referenceId(value: unknown): string | undefined {
  const id = (value as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

function invalidParent(id: string): ErrorDetailInit {
  return {
    detail: `Error while accessing a resource. You have entered an Invalid Field Value ${id} for the following field: parent`,
    code: 'INVALID_CONTENT',
    path: 'parent',
  };
}

/**
 * What is wrong with the `parent` a customer body names, for the customer `selfId` (undefined
 * when it is being created): nothing when the body leaves `parent` out or clears it.
 */
export function parentProblems(
  store: RecordStore,
  selfId: string | undefined,
  body: Record<string, unknown>,
): ErrorDetailInit[] {
  if (body.parent === undefined || body.parent === null) return [];
  const parentId = referenceId(body.parent);
  if (parentId === undefined) return [invalidParent(JSON.stringify(body.parent))];
  if (!store.get('customer', parentId)) return [invalidParent(parentId)];
  // Walk up from the new parent: meeting the customer itself would close a cycle.
  const seen = new Set<string>();
  for (let at: string | undefined = parentId; at !== undefined; ) {
    if (at === selfId) return [invalidParent(parentId)];
    if (seen.has(at)) break;
    seen.add(at);
    at = referenceId(store.get('customer', at)?.parent);
  }
  return [];
}

/** The customers whose parent is `id`, in id order. */
export function subcustomers(store: RecordStore, id: string): RecordData[] {
  return store.list('customer').filter((c) => referenceId(c.parent) === id);
}

/**
 * NetSuite keeps a customer that other records depend on: a parent with subcustomers cannot be
 * deleted until they are moved or deleted (our wording of NetSuite's dependent-records refusal).
 */
export function deleteProblem(store: RecordStore, id: string): ErrorDetailInit | undefined {
  const children = subcustomers(store, id);
  if (children.length === 0) return undefined;
  return {
    detail: `Error while accessing a resource. This record cannot be deleted because it has dependent records: subcustomers ${children.map((c) => c.id).join(', ')}.`,
    code: 'USER_ERROR',
  };
}
