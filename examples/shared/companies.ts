/**
 * Adobe Commerce B2B companies and shared catalogs as the B2B examples need them: found by a
 * natural key (the company's email, the catalog's name) and created only when missing. Creating
 * is not safe to repeat, so a retry after a lost answer first looks again (`retryTransient`).
 */
import type { CommerceClient } from '@plumbline/commerce-client';
import type { SeedCustomer } from './seed.js';
import { retryTransient } from './transient.js';

export interface CompanyRef {
  id: number;
  name: string;
  /** The company admin (a Commerce customer). */
  adminId: number;
}

export interface SharedCatalogRef {
  id: number;
  /** The customer group the catalog created: tier prices name it by its code. */
  groupId: number;
  group: string;
}

type Row = Record<string, unknown>;

/** `searchCriteria` for one equality filter, as query parameters. */
export function whereEquals(field: string, value: string | number): Record<string, unknown> {
  return {
    searchCriteria: {
      filter_groups: [{ filters: [{ field, value: String(value), condition_type: 'eq' }] }],
    },
  };
}

async function firstItem(
  commerce: CommerceClient,
  path: string,
  query: Row,
): Promise<Row | undefined> {
  const { data } = await commerce.GET(path as '/V1/customers/search', {
    params: { query: query as never },
  });
  return ((data as { items?: Row[] } | undefined)?.items ?? [])[0];
}

/** The Commerce customer with this email (the storefront account), or undefined. */
export async function findCustomer(
  commerce: CommerceClient,
  email: string,
): Promise<Row | undefined> {
  return firstItem(commerce, '/V1/customers/search', whereEquals('email', email));
}

/** The company whose `company_email` is this, or undefined. */
export async function findCompany(
  commerce: CommerceClient,
  email: string,
): Promise<CompanyRef | undefined> {
  const row = await firstItem(commerce, '/V1/company/', whereEquals('company_email', email));
  return row === undefined
    ? undefined
    : { id: Number(row.id), name: String(row.company_name), adminId: Number(row.super_user_id) };
}

/**
 * The customer's company, created with the customer as its admin when missing. The seed
 * customer's storefront account must exist (the demo's systems create it).
 */
export async function ensureCompany(
  commerce: CommerceClient,
  customer: Pick<SeedCustomer, 'email' | 'company' | 'phone' | 'address'>,
  name = customer.company,
): Promise<CompanyRef> {
  const found = await findCompany(commerce, customer.email);
  if (found) return found;
  const admin = await findCustomer(commerce, customer.email);
  if (!admin) throw new Error(`no Commerce customer with email ${customer.email}`);
  const adminId = Number(admin.id);
  const id = await retryTransient(
    async () => {
      const { data } = await commerce.POST('/V1/company/', {
        body: {
          company: {
            company_name: name,
            company_email: customer.email,
            street: [customer.address.street],
            city: customer.address.city,
            country_id: customer.address.countryId,
            postcode: customer.address.postcode,
            telephone: customer.phone,
            customer_group_id: 1,
            super_user_id: adminId,
            status: 1,
          },
        },
      });
      return Number((data as unknown as Row).id);
    },
    { alreadyDone: async () => (await findCompany(commerce, customer.email))?.id },
  );
  return { id, name, adminId };
}

/** The custom shared catalog of this name, with its customer group; created when missing. */
export async function ensureSharedCatalog(
  commerce: CommerceClient,
  name: string,
  company?: CompanyRef,
): Promise<SharedCatalogRef> {
  const find = async () => {
    const row = await firstItem(commerce, '/V1/sharedCatalog', whereEquals('name', name));
    return row === undefined ? undefined : Number(row.id);
  };
  const id =
    (await find()) ??
    (await retryTransient(
      async () => {
        const { data } = await commerce.POST('/V1/sharedCatalog', {
          body: {
            sharedCatalog: {
              name,
              description: 'Contract prices from the ERP',
              type: 0,
              store_id: 0,
              tax_class_id: 3,
            },
          },
        });
        return Number(data);
      },
      { alreadyDone: find },
    ));
  const { data: catalog } = await commerce.GET(
    '/V1/sharedCatalog/{id}' as never,
    {
      params: { path: { id } },
    } as never,
  );
  const groupId = Number((catalog as unknown as Row).customer_group_id);
  const { data: group } = await commerce.GET(
    '/V1/customerGroups/{id}' as never,
    {
      params: { path: { id: groupId } },
    } as never,
  );
  if (company) {
    // Assigning a company that is already assigned changes nothing: safe to repeat.
    await retryTransient(() =>
      commerce.POST(
        '/V1/sharedCatalog/{id}/assignCompanies' as never,
        {
          params: { path: { id } },
          body: { companies: [{ id: company.id }] },
        } as never,
      ),
    );
  }
  return { id, groupId, group: String((group as unknown as Row).code) };
}
