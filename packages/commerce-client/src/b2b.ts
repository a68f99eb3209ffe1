import type { z } from 'zod';
import type { CommerceClient } from './client.js';
import { formatMagentoMessage } from './magento-message.js';
import { parseEntity, schemas } from './schemas/index.js';

/** A node of a company's structure, with the nodes under it. */
export interface CompanyStructureNode {
  structureId: number;
  entityId: number;
  entityType: 'customer' | 'team';
  children: CompanyStructureNode[];
}

/**
 * `GET /V1/hierarchy/{id}` as a tree: Adobe answers the company's nodes as a flat list, each with
 * its parent's `structure_id` (0 for the company admin at the root); this returns the roots (the
 * admin) with their children nested.
 */
export async function companyStructure(
  client: CommerceClient,
  companyId: number,
): Promise<CompanyStructureNode[]> {
  const { data } = await client.GET('/V1/hierarchy/{id}', { params: { path: { id: companyId } } });
  const nodes = (Array.isArray(data) ? data : []).map((node, i) =>
    parseEntity(schemas.hierarchyNode, node, `hierarchy[${i}]`),
  );
  const byId = new Map<number, CompanyStructureNode>();
  for (const node of nodes) {
    byId.set(Number(node.structure_id), {
      structureId: Number(node.structure_id),
      entityId: Number(node.entity_id),
      entityType: node.entity_type ?? 'customer',
      children: [],
    });
  }
  const roots: CompanyStructureNode[] = [];
  for (const node of nodes) {
    const self = byId.get(Number(node.structure_id)) as CompanyStructureNode;
    const parent = byId.get(Number(node.structure_parent_id));
    (parent ? parent.children : roots).push(self);
  }
  return roots;
}

/**
 * `POST /V1/team/{companyId}`: creates a team under the company admin and answers its id. The
 * 2.4.9 schema answers nothing (`[]`) where Adobe's page shows the team; both are accepted, and
 * without an id in the answer the id is read back from the structure (the newest team node).
 */
export async function createTeam(
  client: CommerceClient,
  companyId: number,
  team: { name: string; description?: string },
): Promise<number> {
  const { data } = await client.POST('/V1/team/{companyId}', {
    params: { path: { companyId } },
    body: { team },
  } as never);
  const answered = (data as { id?: unknown } | undefined)?.id;
  if (typeof answered === 'number') return answered;
  const teams: number[] = [];
  const visit = (nodes: CompanyStructureNode[]) => {
    for (const node of nodes) {
      if (node.entityType === 'team') teams.push(node.entityId);
      visit(node.children);
    }
  };
  visit(await companyStructure(client, companyId));
  if (teams.length === 0) throw new Error(`company ${companyId} has no team after creating one`);
  return Math.max(...teams);
}

/**
 * `GET /V1/sharedCatalog/{sharedCatalogId}/companies`: the ids of the companies assigned. Magento
 * answers a JSON-encoded string (`"[\"1\",\"2\"]"`); a plain array is accepted too.
 */
export async function sharedCatalogCompanyIds(
  client: CommerceClient,
  sharedCatalogId: number,
): Promise<number[]> {
  const { data } = await client.GET('/V1/sharedCatalog/{sharedCatalogId}/companies', {
    params: { path: { sharedCatalogId } },
  });
  const list = typeof data === 'string' ? (JSON.parse(data) as unknown) : data;
  return (Array.isArray(list) ? list : []).map(Number);
}

/** A tier price as `/V1/products/tier-prices*` reads and writes it. */
export type TierPrice = z.output<typeof schemas.tierPrice>;

/** A price Magento refused, with its message filled in. */
export interface RefusedPrice {
  message: string;
  raw: { message?: string; parameters?: unknown };
}

/**
 * `POST /V1/products/tier-prices`: adds or updates the prices (one row per SKU, website, group and
 * quantity, so sending the same prices again changes nothing). Answers the refused ones (`[]` when
 * every price was saved), each message with its placeholders filled.
 */
export async function saveTierPrices(
  client: CommerceClient,
  prices: TierPrice[],
): Promise<RefusedPrice[]> {
  const { data } = await client.POST('/V1/products/tier-prices', { body: { prices } });
  return ((data ?? []) as { message?: string; parameters?: unknown }[]).map((raw) => ({
    message: priceResultMessage(raw),
    raw,
  }));
}

/**
 * A price result's message. Magento builds its parameters as a named map (`fieldName`,
 * `fieldValue`, `SKU` …) but `PriceUpdateResultInterface::getParameters()` is a `string[]`, so
 * REST answers the values alone, in the order the message names them (Adobe's catalog-pricing
 * page shows `["Price", "-1", …]` for `%fieldName = %fieldValue`). Named placeholders are
 * therefore filled in order of first appearance; other shapes go to `formatMagentoMessage`.
 */
function priceResultMessage(raw: { message?: string; parameters?: unknown }): string {
  const message = raw.message ?? '';
  const values = raw.parameters;
  const named = [...new Set(message.match(/%[A-Za-z_]\w*/g) ?? [])];
  const scalars =
    Array.isArray(values) && values.every((v) => typeof v === 'string' || typeof v === 'number');
  if (!scalars || named.length === 0) return formatMagentoMessage(message, values as never);
  const byName = new Map(named.map((name, i) => [name, values[i]]));
  return message.replace(/%[A-Za-z_]\w*/g, (name) =>
    byName.get(name) === undefined ? name : String(byName.get(name)),
  );
}

/** `POST /V1/products/tier-prices-information`: the tier prices of these SKUs, validated. */
export async function tierPrices(client: CommerceClient, skus: string[]): Promise<TierPrice[]> {
  const { data } = await client.POST('/V1/products/tier-prices-information', { body: { skus } });
  return (Array.isArray(data) ? data : []).map((price, i) =>
    parseEntity(schemas.tierPrice, price, `prices[${i}]`),
  );
}
