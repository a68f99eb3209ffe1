import type { components } from '../../generated/schema.js';
import { MagentoFault, notFoundEntity, required } from '../fault.js';
import type { CommerceEmulatorState, EmulatorCustomer } from '../state.js';
import { COMPANY_RESOURCES, type EmulatorRole, RoleStore } from './roles.js';

type Schemas = components['schemas'];
export type EmulatorCompany = Schemas['Company'] & Record<string, unknown>;
export type EmulatorTeam = Schemas['Team'] & Record<string, unknown>;
export type CompanyAttributes = Schemas['CompanyCustomer'] & Record<string, unknown>;

/** A node of a company structure; `company_id` is the emulator's own bookkeeping. */
export interface StructureNode {
  structure_id: number;
  entity_id: number;
  entity_type: 'customer' | 'team';
  structure_parent_id: number;
  company_id: number;
}

/** Adobe's page lists these as required to create or update a company. */
const REQUIRED_FIELDS = [
  'company_name',
  'company_email',
  'street',
  'city',
  'country_id',
  'postcode',
  'telephone',
  'customer_group_id',
  'super_user_id',
] as const;

function companyAttributesOf(
  customer: EmulatorCustomer | undefined,
): CompanyAttributes | undefined {
  const extension = customer?.extension_attributes as Record<string, unknown> | undefined;
  return extension?.company_attributes as CompanyAttributes | undefined;
}

/**
 * Companies, company users (`extension_attributes.company_attributes` of customers), teams and
 * the company structure (hierarchy), and company roles.
 */
export class CompanyStore {
  readonly companies = new Map<number, EmulatorCompany>();
  readonly teams = new Map<number, EmulatorTeam>();
  readonly structure = new Map<number, StructureNode>();
  readonly roles: RoleStore;
  readonly #state: CommerceEmulatorState;

  constructor(state: CommerceEmulatorState) {
    this.#state = state;
    this.roles = new RoleStore(state, (id) => this.get(id));
  }

  get(id: number): EmulatorCompany {
    const company = this.companies.get(id);
    if (!company) throw notFoundEntity('id', id);
    return company;
  }

  /** `POST /V1/company/` and `PUT /V1/company/{id}`. */
  save(input: Partial<EmulatorCompany>, id?: number): EmulatorCompany {
    if (!input || typeof input !== 'object' || Array.isArray(input)) throw required('company');
    const existing = id === undefined ? undefined : this.get(id);
    const merged = { ...(existing ?? {}), ...input } as Record<string, unknown>;
    for (const field of REQUIRED_FIELDS) {
      const value = merged[field];
      if (value === undefined || value === null || value === '') throw required(field);
      if (field === 'street' && (!Array.isArray(value) || value.length === 0))
        throw required(field);
    }
    const superUserId = Number(merged.super_user_id);
    const admin = this.#state.getCustomer(superUserId);
    const companyId = existing?.id ?? this.#state.nextId('company');
    const joined = companyAttributesOf(admin)?.company_id;
    if (joined && joined !== companyId) {
      throw new MagentoFault(400, 'Invalid attribute value. User already assigned to a company.');
    }
    const company = {
      status: 0,
      sales_representative_id: 1,
      reject_reason: null,
      rejected_at: null,
      ...merged,
      id: companyId,
      customer_group_id: Number(merged.customer_group_id),
      super_user_id: superUserId,
      extension_attributes: {
        ...((merged.extension_attributes as object | undefined) ?? {}),
        quote_config: { company_id: String(companyId), is_quote_enabled: false },
      },
    } as EmulatorCompany;
    if (company.status === 2 && !existing?.rejected_at)
      company.rejected_at = this.#state.timestamp();
    this.companies.set(companyId, company);
    if (!existing) {
      this.roles.createDefault(companyId);
      this.#state.b2b.credit.open(companyId);
    }
    if (existing?.super_user_id !== superUserId) this.#placeAdmin(company, existing?.super_user_id);
    this.#applyGroup(company);
    return company;
  }

  /** Deleting a company detaches its users (company_id 0, inactive) and drops its structure. */
  delete(id: number): true {
    this.get(id);
    for (const node of this.nodes(id)) {
      this.structure.delete(node.structure_id);
      if (node.entity_type === 'team') this.teams.delete(node.entity_id);
      else this.#setAttributes(node.entity_id, { company_id: 0, status: 0 });
    }
    this.companies.delete(id);
    this.roles.dropCompany(id);
    return true;
  }

  /** The company admin is the root of the structure; a former admin stays under the new one. */
  #placeAdmin(company: EmulatorCompany, formerAdmin: number | undefined): void {
    const companyId = Number(company.id);
    const adminId = Number(company.super_user_id);
    const existing = this.nodeOf('customer', adminId);
    if (existing && existing.company_id !== companyId) this.#detach(existing);
    const root = this.rootOf(companyId);
    const node =
      this.nodeOf('customer', adminId) ?? this.#addNode(companyId, 'customer', adminId, 0);
    node.structure_parent_id = 0;
    if (root && root !== node) {
      root.structure_parent_id = node.structure_id;
      for (const child of this.nodes(companyId))
        if (child.structure_parent_id === root.structure_id && child !== node)
          child.structure_parent_id = node.structure_id;
    }
    this.#setAttributes(adminId, { company_id: companyId, status: 1 });
    if (formerAdmin !== undefined) this.roles.assignDefault(companyId, formerAdmin);
  }

  #addNode(
    companyId: number,
    type: 'customer' | 'team',
    entityId: number,
    parentId: number,
  ): StructureNode {
    const node: StructureNode = {
      structure_id: this.#state.nextId('company_structure'),
      entity_id: entityId,
      entity_type: type,
      structure_parent_id: parentId,
      company_id: companyId,
    };
    this.structure.set(node.structure_id, node);
    return node;
  }

  /** Removes a node; its children move up to its parent (as Adobe says for deleted users). */
  #detach(node: StructureNode): void {
    for (const child of this.structure.values())
      if (child.structure_parent_id === node.structure_id)
        child.structure_parent_id = node.structure_parent_id;
    this.structure.delete(node.structure_id);
  }

  nodes(companyId: number): StructureNode[] {
    return [...this.structure.values()].filter((n) => n.company_id === companyId);
  }

  nodeOf(type: 'customer' | 'team', entityId: number): StructureNode | undefined {
    return [...this.structure.values()].find(
      (n) => n.entity_type === type && n.entity_id === entityId,
    );
  }

  rootOf(companyId: number): StructureNode | undefined {
    return this.nodes(companyId).find((n) => n.structure_parent_id === 0);
  }

  /** `GET /V1/hierarchy/{id}`: the company's nodes, each parent before its children. */
  hierarchy(companyId: number): Omit<StructureNode, 'company_id'>[] {
    this.get(companyId);
    const nodes = this.nodes(companyId);
    const out: Omit<StructureNode, 'company_id'>[] = [];
    const visit = (parentId: number) => {
      for (const node of nodes
        .filter((n) => n.structure_parent_id === parentId)
        .sort((a, b) => a.structure_id - b.structure_id)) {
        const { company_id: _company, ...view } = node;
        out.push(view);
        visit(node.structure_id);
      }
    };
    visit(0);
    return out;
  }

  /** `PUT /V1/hierarchy/move/{id}`: moves a team or user (with what is under it). */
  move(structureId: number, newParentId: number): [] {
    const node = this.structure.get(structureId);
    if (!node) throw notFoundEntity('id', structureId);
    const parent = this.structure.get(newParentId);
    if (!parent) throw notFoundEntity('newParentId', newParentId);
    if (node.structure_parent_id === 0) {
      throw new MagentoFault(400, 'The company admin cannot be moved.');
    }
    if (parent.company_id !== node.company_id) {
      throw new MagentoFault(400, 'The new parent belongs to another company.');
    }
    for (let at: StructureNode | undefined = parent; at; ) {
      if (at.structure_id === node.structure_id) {
        throw new MagentoFault(400, 'A node cannot be moved under itself or its own children.');
      }
      at = this.structure.get(at.structure_parent_id);
    }
    node.structure_parent_id = newParentId;
    return [];
  }

  // ---- teams ----

  getTeam(id: number): EmulatorTeam {
    const team = this.teams.get(id);
    if (!team) throw notFoundEntity('id', id);
    return team;
  }

  /** A new team is placed under the company admin. */
  createTeam(companyId: number, input: Partial<EmulatorTeam>): EmulatorTeam {
    this.get(companyId);
    const team = this.#teamFields(input);
    const id = this.#state.nextId('company_team');
    const saved = { ...team, id } as EmulatorTeam;
    this.teams.set(id, saved);
    this.#addNode(companyId, 'team', id, this.rootOf(companyId)?.structure_id ?? 0);
    return saved;
  }

  updateTeam(id: number, input: Partial<EmulatorTeam>): true {
    const existing = this.getTeam(id);
    this.teams.set(id, { ...existing, ...this.#teamFields({ ...existing, ...input }), id });
    return true;
  }

  deleteTeam(id: number): [] {
    this.getTeam(id);
    const node = this.nodeOf('team', id);
    if (
      node &&
      [...this.structure.values()].some((n) => n.structure_parent_id === node.structure_id)
    ) {
      throw new MagentoFault(
        400,
        'This team has child users or teams aligned to it and cannot be deleted. Please re-align the child users or teams first.',
      );
    }
    if (node) this.structure.delete(node.structure_id);
    this.teams.delete(id);
    return [];
  }

  #teamFields(input: Partial<EmulatorTeam>): Partial<EmulatorTeam> {
    if (!input || typeof input !== 'object') throw required('team');
    if (typeof input.name !== 'string' || input.name.trim() === '') throw required('name');
    const { id: _id, ...fields } = input;
    return fields;
  }

  // ---- company users ----

  /**
   * Called by `saveCustomer` before it stores a customer: reads `company_attributes`, checks the
   * company, and moves the user into (or out of) the company structure. Customers never given
   * company attributes stay as they are.
   */
  customerSaving(customer: EmulatorCustomer, existing: EmulatorCustomer | undefined): void {
    const before = companyAttributesOf(existing);
    const sent = companyAttributesOf(customer);
    if (!before && !sent) return;
    const companyId = Number(sent?.company_id ?? before?.company_id ?? 0);
    if (!Number.isInteger(companyId) || companyId < 0) {
      throw new MagentoFault(400, 'Invalid value of "%value" provided for the %fieldName field.', {
        value: String(sent?.company_id),
        fieldName: 'company_id',
      });
    }
    const id = Number(customer.id);
    if (companyId !== 0) this.get(companyId);
    const previousCompany = Number(before?.company_id ?? 0);
    const owned = [...this.companies.values()].find((c) => c.super_user_id === id);
    if (owned && owned.id !== companyId) {
      throw new MagentoFault(400, 'The company admin cannot be removed from the company.');
    }
    const attributes: CompanyAttributes = {
      ...(before ?? {}),
      ...(sent ?? {}),
      customer_id: id,
      company_id: companyId,
    };
    if (companyId !== 0) attributes.status = Number(attributes.status ?? 1);
    customer.extension_attributes = {
      ...((customer.extension_attributes as object | undefined) ?? {}),
      company_attributes: attributes,
    };
    if (companyId === previousCompany) return;
    const node = this.nodeOf('customer', id);
    if (node) this.#detach(node);
    this.roles.unassign(id);
    if (companyId === 0) return;
    const company = this.get(companyId);
    customer.group_id = company.customer_group_id;
    this.#addNode(companyId, 'customer', id, this.rootOf(companyId)?.structure_id ?? 0);
    this.roles.assignDefault(companyId, id);
  }

  /** A deleted user leaves the structure; its children move up to its parent. */
  customerDeleted(id: number): void {
    const node = this.nodeOf('customer', id);
    if (node) this.#detach(node);
    this.roles.unassign(id);
  }

  #setAttributes(customerId: number, values: Partial<CompanyAttributes>): void {
    const customer = this.#state.customers.get(customerId);
    if (!customer) return;
    const company = values.company_id ? this.companies.get(values.company_id) : undefined;
    customer.extension_attributes = {
      ...((customer.extension_attributes as object | undefined) ?? {}),
      company_attributes: {
        ...(companyAttributesOf(customer) ?? {}),
        ...values,
        customer_id: customerId,
      },
    };
    if (company) customer.group_id = company.customer_group_id;
  }

  /** Company users shop with the company's customer group (its shared catalog's). */
  #applyGroup(company: EmulatorCompany): void {
    for (const node of this.nodes(Number(company.id))) {
      const customer =
        node.entity_type === 'customer' ? this.#state.customers.get(node.entity_id) : undefined;
      if (customer) customer.group_id = company.customer_group_id;
    }
  }

  /** Assigns a company to another customer group (a shared catalog's), with its users. */
  setGroup(companyId: number, groupId: number): void {
    const company = this.get(companyId);
    company.customer_group_id = groupId;
    this.#applyGroup(company);
  }

  /** `GET /V1/customers/{customerId}/companies/{companyId}`. */
  companyUser(customerId: number, companyId: number): CompanyAttributes {
    const attributes = companyAttributesOf(this.#state.getCustomer(customerId));
    this.get(companyId);
    if (!attributes || attributes.company_id !== companyId) {
      throw new MagentoFault(404, 'No such entity with %fieldName = %fieldValue', {
        fieldName: 'companyId',
        fieldValue: companyId,
      });
    }
    return attributes;
  }

  /** The company a customer belongs to (0 when none). */
  companyOf(customerId: number): number {
    return Number(companyAttributesOf(this.#state.customers.get(customerId))?.company_id ?? 0);
  }

  resources(): readonly string[] {
    return COMPANY_RESOURCES;
  }

  role(id: number): EmulatorRole {
    return this.roles.get(id);
  }
}
