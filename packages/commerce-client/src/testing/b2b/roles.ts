import type { components } from '../../generated/schema.js';
import { MagentoFault, notFoundEntity, required } from '../fault.js';
import type { CommerceEmulatorState } from '../state.js';

type Schemas = components['schemas'];
export type EmulatorRole = Schemas['CompanyRole'] & Record<string, unknown>;
type Permission = Schemas['CompanyPermission'];

/**
 * The company resources, in Adobe's order
 * (https://developer.adobe.com/commerce/webapi/rest/b2b/roles/). A role answers every one of
 * them: those not allowed are denied.
 */
export const COMPANY_RESOURCES = [
  'Magento_Company::index',
  'Magento_Sales::all',
  'Magento_Sales::place_order',
  'Magento_Sales::payment_account',
  'Magento_Sales::view_orders',
  'Magento_Sales::view_orders_sub',
  'Magento_NegotiableQuote::all',
  'Magento_NegotiableQuote::view_quotes',
  'Magento_NegotiableQuote::manage',
  'Magento_NegotiableQuote::checkout',
  'Magento_NegotiableQuote::view_quotes_sub',
  'Magento_PurchaseOrder::all',
  'Magento_PurchaseOrder::view_purchase_orders',
  'Magento_PurchaseOrder::view_purchase_orders_for_subordinates',
  'Magento_PurchaseOrder::view_purchase_orders_for_company',
  'Magento_PurchaseOrder::autoapprove_purchase_order',
  'Magento_PurchaseOrder::super_approve_purchase_order',
  'Magento_PurchaseOrder::view_approval_rules',
  'Magento_PurchaseOrder::manage_approval_rules',
  'Magento_Company::view',
  'Magento_Company::view_account',
  'Magento_Company::edit_account',
  'Magento_Company::view_address',
  'Magento_Company::edit_address',
  'Magento_Company::contacts',
  'Magento_Company::payment_information',
  'Magento_Company::shipping_information',
  'Magento_Company::user_management',
  'Magento_Company::roles_view',
  'Magento_Company::roles_edit',
  'Magento_Company::users_view',
  'Magento_Company::users_edit',
  'Magento_Company::credit',
  'Magento_Company::credit_history',
] as const;

/**
 * Adobe's resource table spells the Purchase Order resources with one colon
 * (`Magento_PurchaseOrder:view_purchase_orders`); both spellings are read as the `::` one.
 */
function canonicalResource(resource: string): string {
  return resource.replace(/^Magento_PurchaseOrder:(?!:)/, 'Magento_PurchaseOrder::');
}

/** What the Default User role of a new company allows (the rest is denied). */
const DEFAULT_USER_ALLOWS = [
  'Magento_Company::index',
  'Magento_Sales::all',
  'Magento_Sales::place_order',
  'Magento_Sales::payment_account',
  'Magento_Sales::view_orders',
  'Magento_NegotiableQuote::all',
  'Magento_NegotiableQuote::view_quotes',
  'Magento_NegotiableQuote::manage',
  'Magento_NegotiableQuote::checkout',
  'Magento_Company::view',
  'Magento_Company::view_account',
  'Magento_Company::view_address',
  'Magento_Company::contacts',
  'Magento_Company::credit',
];

/** Company roles with their permissions, and which role each company user has. */
export class RoleStore {
  readonly roles = new Map<number, EmulatorRole>();
  /** customer id -> role ids. */
  readonly assignments = new Map<number, number[]>();
  readonly #state: CommerceEmulatorState;
  readonly #company: (id: number) => unknown;

  constructor(state: CommerceEmulatorState, company: (id: number) => unknown) {
    this.#state = state;
    this.#company = company;
  }

  get(id: number): EmulatorRole {
    const role = this.roles.get(id);
    if (!role) throw notFoundEntity('id', id);
    return role;
  }

  /** `POST /V1/company/role/` and `PUT /V1/company/role/{id}`. */
  save(input: Partial<EmulatorRole>, id?: number): EmulatorRole {
    if (!input || typeof input !== 'object') throw required('role');
    const existing = id === undefined ? undefined : this.get(id);
    const companyId = Number(input.company_id ?? existing?.company_id);
    if (!Number.isInteger(companyId) || companyId <= 0) throw required('company_id');
    this.#company(companyId);
    const name = input.role_name ?? existing?.role_name;
    if (typeof name !== 'string' || name.trim() === '') throw required('role_name');
    for (const other of this.roles.values()) {
      if (other.id !== existing?.id && other.company_id === companyId && other.role_name === name) {
        throw new MagentoFault(
          400,
          'User role with this name already exists. Enter a different name to save this role.',
        );
      }
    }
    if (!Array.isArray(input.permissions)) throw required('permissions');
    const roleId = existing?.id ?? this.#state.nextId('company_role');
    const role: EmulatorRole = {
      id: roleId,
      role_name: name,
      permissions: this.#permissions(roleId, input.permissions),
      company_id: companyId,
    };
    this.roles.set(roleId, role);
    return role;
  }

  /** Every resource once, in Adobe's order: what was not allowed is denied. */
  #permissions(roleId: number, given: Permission[]): Permission[] {
    const granted = new Map<string, string>();
    given.forEach((p, index) => {
      if (!p || typeof p.resource_id !== 'string')
        throw required(`permissions[${index}].resource_id`);
      const resource = canonicalResource(p.resource_id);
      if (!(COMPANY_RESOURCES as readonly string[]).includes(resource)) {
        throw new MagentoFault(
          400,
          'Invalid value of "%value" provided for the %fieldName field.',
          {
            value: p.resource_id,
            fieldName: 'resource_id',
          },
        );
      }
      if (p.permission !== 'allow' && p.permission !== 'deny') {
        throw new MagentoFault(
          400,
          'Invalid value of "%value" provided for the %fieldName field.',
          {
            value: String(p.permission),
            fieldName: 'permission',
          },
        );
      }
      granted.set(resource, p.permission);
    });
    if (granted.get('Magento_Company::index') !== 'allow') {
      throw new MagentoFault(400, 'The resource Magento_Company::index must be allowed.');
    }
    return COMPANY_RESOURCES.map((resource) => ({
      id: this.#state.nextId('company_permission'),
      role_id: roleId,
      resource_id: resource,
      permission: granted.get(resource) === 'allow' ? 'allow' : 'deny',
    }));
  }

  /** A role still assigned to users cannot be deleted. */
  delete(id: number): true {
    this.get(id);
    if (this.users(id).length > 0) {
      throw new MagentoFault(
        400,
        'This role cannot be deleted because users are assigned to it. Reassign the users to another role to continue.',
      );
    }
    this.roles.delete(id);
    return true;
  }

  createDefault(companyId: number): void {
    this.save({
      role_name: 'Default User',
      company_id: companyId,
      permissions: DEFAULT_USER_ALLOWS.map((resource_id) => ({ resource_id, permission: 'allow' })),
    });
  }

  assignDefault(companyId: number, customerId: number): void {
    const role = [...this.roles.values()].find(
      (r) => r.company_id === companyId && r.role_name === 'Default User',
    );
    if (role?.id !== undefined) this.assignments.set(customerId, [role.id]);
  }

  /** `PUT /V1/company/assignRoles`: a user has one role, of its own company. */
  assign(userId: number, roles: { id?: unknown }[], companyOf: (id: number) => number): true {
    this.#state.getCustomer(userId);
    if (!Array.isArray(roles) || roles.length === 0) throw required('roles');
    const ids = roles.map((r) => this.get(Number(r?.id)).id as number);
    const companyId = companyOf(userId);
    if (ids.some((id) => this.get(id).company_id !== companyId)) {
      throw new MagentoFault(400, 'The role does not belong to the company of the user.');
    }
    this.assignments.set(userId, ids);
    return true;
  }

  unassign(customerId: number): void {
    this.assignments.delete(customerId);
  }

  users(roleId: number): number[] {
    return [...this.assignments]
      .filter(([, roles]) => roles.includes(roleId))
      .map(([customerId]) => customerId);
  }

  dropCompany(companyId: number): void {
    for (const [id, role] of this.roles)
      if (role.company_id === companyId) {
        for (const userId of this.users(id)) this.assignments.delete(userId);
        this.roles.delete(id);
      }
  }
}
