/**
 * company-hierarchy: the ERP owns the shape of a B2B customer: which branches a company has and
 * where each belongs. NetSuite keeps it as parent and subcustomers; Adobe Commerce B2B as a
 * company whose structure holds teams and users. This program mirrors the first into the second,
 * parents before children: a company per parent customer, a team per branch (subcustomer) and the
 * branch's buyer as a company user in that team. A branch moved to another parent moves with its
 * buyer, a branch made inactive loses its team (its buyer stays, inactive, at the company root),
 * and a company renamed in the Commerce admin is renamed back and logged as a conflict. The
 * buyers' profiles are Commerce's: the sync never writes them.
 */
import type { CommerceClient } from '@plumbline/commerce-client';
import {
  type NetSuiteClient,
  suiteql,
  suiteqlRows,
  updateRecord,
  upsertByExternalId,
} from '@plumbline/erp-netsuite';
import { type ConflictLog, createConflictLog, defineOwnership } from '@plumbline/sync-core';
import { isMain } from '../shared/cli.js';
import { type CompanyRef, ensureCompany, findCompany, findCustomer } from '../shared/companies.js';
import { type ExampleContext, type ExampleOptions, withContext } from '../shared/context.js';
import { runPatternCli } from '../shared/pattern-cli.js';
import { addConflict, addMoved, emptyReport, type PatternReport } from '../shared/report.js';
import type { SeedCustomer } from '../shared/seed.js';
import { retryTransient } from '../shared/transient.js';

/** Who owns what: the ERP the structure, Commerce the storefront users' profiles. */
export const ownership = defineOwnership<{
  company: { name: string; parent: string };
  team: { name: string; company: string };
  user: { company: string; team: string; firstname: string; lastname: string; jobTitle: string };
}>()({
  systems: ['netsuite', 'commerce'],
  entities: {
    company: { default: 'netsuite' },
    team: { default: 'netsuite' },
    user: { default: 'commerce', fields: { company: 'netsuite', team: 'netsuite' } },
  },
});

export interface CompanyHierarchyOptions extends ExampleOptions {
  /** Parent customers that become companies (default 4). */
  companies?: number;
  /** Branches (subcustomers) under each (default 3). */
  branches?: number;
  /** Make the ERP and storefront changes between the two syncs (default true). */
  changes?: boolean;
}

/** A branch as the ERP holds it. */
interface Branch {
  erpId: string;
  externalId: string;
  name: string;
  email: string;
  parentExternalId: string;
  active: boolean;
}

interface ErpStructure {
  /** Parent customers by external id: their name in the ERP. */
  parents: Map<string, { erpId: string; name: string; seed: SeedCustomer }>;
  branches: Branch[];
}

export interface SyncPass {
  companiesCreated: number;
  companiesRenamed: number;
  teamsCreated: number;
  teamsRemoved: number;
  usersCreated: number;
  usersMoved: number;
}

export interface CompanyHierarchyReport extends PatternReport {
  details: {
    initial: SyncPass;
    changes: SyncPass;
    moved: string[];
    deactivated: string[];
    /** A buyer's first name edited on the storefront: still there after the sync. */
    profileKept: boolean;
    differences: string[];
  };
}

type Row = Record<string, unknown>;

// ---- the ERP side ----

const branchId = (parent: string, n: number) => `${parent}-B${n}`;

/** The back office's structure: `branches` subcustomers under each parent, written once (PUT by external id). */
async function ensureErpBranches(
  ctx: ExampleContext,
  parents: SeedCustomer[],
  branches: number,
): Promise<void> {
  const { netsuite } = ctx.systems;
  const ids = await erpIds(netsuite);
  for (const parent of parents) {
    const parentId = ids.get(parent.externalId);
    if (!parentId) throw new Error(`customer ${parent.externalId} is not in NetSuite`);
    for (let n = 1; n <= branches; n++) {
      const externalId = branchId(parent.externalId, n);
      if (ids.has(externalId)) continue; // the ERP's data is the ERP's: never rewritten here
      await upsertByExternalId(netsuite, 'customer', externalId, {
        companyName: `${parent.company} Branch ${n}`,
        email: `branch${n}.${parent.email}`,
        firstName: parent.firstname,
        lastName: `${parent.lastname} (Branch ${n})`,
        parent: { id: parentId },
        isInactive: false,
      });
    }
  }
}

async function erpIds(netsuite: NetSuiteClient): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for await (const row of suiteqlRows<{ id: string; externalid: string }>(
    netsuite,
    suiteql`SELECT id, externalid FROM customer WHERE externalid LIKE 'CUST-%'`,
  )) {
    ids.set(row.externalid, row.id);
  }
  return ids;
}

async function readErp(ctx: ExampleContext, parents: SeedCustomer[]): Promise<ErpStructure> {
  const rows: Row[] = [];
  for await (const row of suiteqlRows<Row>(
    ctx.systems.netsuite,
    suiteql`SELECT id, externalid, companyname, email, parent, isinactive FROM customer WHERE externalid LIKE 'CUST-%' ORDER BY id`,
  )) {
    rows.push(row);
  }
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  const seeds = new Map(parents.map((p) => [p.externalId, p]));
  const structure: ErpStructure = { parents: new Map(), branches: [] };
  for (const row of rows) {
    const seed = seeds.get(String(row.externalid));
    if (seed) {
      structure.parents.set(seed.externalId, {
        erpId: String(row.id),
        name: String(row.companyname),
        seed,
      });
    }
  }
  for (const row of rows) {
    const parent = row.parent ? byId.get(String(row.parent)) : undefined;
    if (!parent || !structure.parents.has(String(parent.externalid))) continue;
    structure.branches.push({
      erpId: String(row.id),
      externalId: String(row.externalid),
      name: String(row.companyname),
      email: String(row.email).toLowerCase(),
      parentExternalId: String(parent.externalid),
      active: row.isinactive !== 'T' && row.isinactive !== true,
    });
  }
  return structure;
}

// ---- the Commerce side ----

interface Node {
  structure_id: number;
  entity_id: number;
  entity_type: 'customer' | 'team';
  structure_parent_id: number;
}

async function hierarchy(commerce: CommerceClient, companyId: number): Promise<Node[]> {
  const { data } = await commerce.GET('/V1/hierarchy/{id}', {
    params: { path: { id: companyId } },
  });
  return (data ?? []) as unknown as Node[];
}

async function teamsOf(commerce: CommerceClient, companyId: number) {
  const nodes = await hierarchy(commerce, companyId);
  const teams = new Map<string, { id: number; node: Node; users: number[] }>();
  for (const node of nodes.filter((n) => n.entity_type === 'team')) {
    const { data } = await commerce.GET('/V1/team/{teamId}', {
      params: { path: { teamId: node.entity_id } },
    });
    const users = nodes
      .filter((n) => n.entity_type === 'customer' && n.structure_parent_id === node.structure_id)
      .map((n) => n.entity_id);
    teams.set(String((data as unknown as Row).name), { id: node.entity_id, node, users });
  }
  return { nodes, teams };
}

/** Creates the branch's buyer, or attaches the existing one to `company` (profile untouched). */
async function ensureUser(
  commerce: CommerceClient,
  branch: Branch,
  company: CompanyRef,
  pass: SyncPass,
): Promise<number> {
  const existing = await findCustomer(commerce, branch.email);
  if (!existing) {
    pass.usersCreated++;
    return retryTransient(
      async () => {
        const { data } = await commerce.POST('/V1/customers', {
          body: {
            customer: {
              email: branch.email,
              firstname: 'Buyer',
              lastname: branch.name,
              website_id: 1,
              extension_attributes: {
                company_attributes: { company_id: company.id, status: 1, job_title: 'Buyer' },
              },
            },
          },
        } as never);
        return Number((data as unknown as Row).id);
      },
      { alreadyDone: async () => (await findCustomer(commerce, branch.email))?.id as number },
    );
  }
  const attributes = ((existing.extension_attributes as Row | undefined)?.company_attributes ??
    {}) as Row;
  if (Number(attributes.company_id) !== company.id || Number(attributes.status) !== 1) {
    pass.usersMoved++;
    // Only the structure field changes; Magento's PUT takes the whole customer, so the profile
    // goes back exactly as it was read.
    await retryTransient(() =>
      commerce.PUT('/V1/customers/{customerId}', {
        params: { path: { customerId: Number(existing.id) } },
        body: {
          customer: {
            ...existing,
            extension_attributes: {
              ...((existing.extension_attributes as Row | undefined) ?? {}),
              company_attributes: { ...attributes, company_id: company.id, status: 1 },
            },
          },
        },
      } as never),
    );
  }
  return Number(existing.id);
}

/** Sets a buyer's company status (1 active, 0 inactive), keeping everything else. */
async function setUserStatus(commerce: CommerceClient, userId: number, status: 0 | 1) {
  const { data } = await commerce.GET('/V1/customers/{customerId}', {
    params: { path: { customerId: userId } },
  });
  const customer = data as unknown as Row;
  const extension = (customer.extension_attributes ?? {}) as Row;
  await retryTransient(() =>
    commerce.PUT('/V1/customers/{customerId}', {
      params: { path: { customerId: userId } },
      body: {
        customer: {
          ...customer,
          extension_attributes: {
            ...extension,
            company_attributes: { ...(extension.company_attributes as Row), status },
          },
        },
      },
    } as never),
  );
}

// ---- one sync: parents first, then teams, then users ----

async function syncOnce(
  ctx: ExampleContext,
  erp: ErpStructure,
  conflicts: ConflictLog,
  report: CompanyHierarchyReport,
): Promise<SyncPass> {
  const { commerce } = ctx.systems;
  const pass: SyncPass = {
    companiesCreated: 0,
    companiesRenamed: 0,
    teamsCreated: 0,
    teamsRemoved: 0,
    usersCreated: 0,
    usersMoved: 0,
  };
  const task = ctx.progress.task('company-hierarchy: ERP structure → Commerce');
  task.total(erp.parents.size + erp.branches.length);
  // 1. Companies (parents before their children).
  const companies = new Map<string, CompanyRef>();
  for (const [externalId, parent] of erp.parents) {
    const before = (await ensureCompanyCounted(commerce, parent, pass)) as CompanyRef;
    companies.set(
      externalId,
      await keepName(commerce, before, parent.name, conflicts, report, pass),
    );
    task.tick();
  }
  // 2. Teams and their buyers, company by company.
  for (const [externalId, company] of companies) {
    const mine = erp.branches.filter((b) => b.parentExternalId === externalId);
    const { nodes, teams } = await teamsOf(commerce, company.id);
    const root = nodes.find((n) => n.structure_parent_id === 0) as Node;
    for (const branch of mine.filter((b) => b.active)) {
      let team = teams.get(branch.name);
      if (!team) {
        const id = await createTeam(commerce, company.id, branch.name);
        pass.teamsCreated++;
        team = (await teamsOf(commerce, company.id)).teams.get(branch.name);
        if (!team || team.id !== id) throw new Error(`team ${branch.name} not in the structure`);
      }
      const userId = await ensureUser(commerce, branch, company, pass);
      if (!team.users.includes(userId)) {
        const node = (await hierarchy(commerce, company.id)).find(
          (n) => n.entity_type === 'customer' && n.entity_id === userId,
        ) as Node;
        await retryTransient(() =>
          commerce.PUT('/V1/hierarchy/move/{id}', {
            params: { path: { id: node.structure_id } },
            body: { newParentId: team.node.structure_id },
          }),
        );
      }
      task.tick();
    }
    // 3. Teams whose branch is inactive or now under another parent: buyers to the root, team out.
    const wanted = new Set(mine.filter((b) => b.active).map((b) => b.name));
    const branchNames = new Set(erp.branches.map((b) => b.name));
    for (const [name, team] of teams) {
      if (wanted.has(name) || !branchNames.has(name)) continue; // not ours: leave it
      for (const userId of team.users) {
        const node = nodes.find((n) => n.entity_type === 'customer' && n.entity_id === userId);
        if (node) {
          await retryTransient(() =>
            commerce.PUT('/V1/hierarchy/move/{id}', {
              params: { path: { id: node.structure_id } },
              body: { newParentId: root.structure_id },
            }),
          );
        }
        const branch = erp.branches.find((b) => b.name === name);
        if (branch && !branch.active) await setUserStatus(commerce, userId, 0);
      }
      await deleteTeam(commerce, team.id);
      pass.teamsRemoved++;
      task.tick();
    }
  }
  task.done();
  return pass;
}

async function ensureCompanyCounted(
  commerce: CommerceClient,
  parent: { name: string; seed: SeedCustomer },
  pass: SyncPass,
): Promise<CompanyRef> {
  const found = await findCompany(commerce, parent.seed.email);
  if (found) return found;
  pass.companiesCreated++;
  return ensureCompany(commerce, parent.seed, parent.name);
}

/** The ERP owns the company's name: a name edited in Commerce is set back and logged. */
async function keepName(
  commerce: CommerceClient,
  company: CompanyRef,
  erpName: string,
  conflicts: ConflictLog,
  report: CompanyHierarchyReport,
  pass: SyncPass,
): Promise<CompanyRef> {
  if (company.name === erpName) return company;
  const owner = ownership.ownerOf('company', 'name');
  await conflicts.write({
    entity: 'company',
    key: String(company.id),
    field: 'name',
    left: { system: 'netsuite', value: erpName },
    right: { system: 'commerce', value: company.name },
    winner: owner,
    value: erpName,
    rule: 'ownership',
    at: new Date().toISOString(),
  });
  addConflict(report, 'ownership');
  const { data } = await commerce.GET('/V1/company/{companyId}', {
    params: { path: { companyId: company.id } },
  });
  await retryTransient(() =>
    commerce.PUT('/V1/company/{companyId}', {
      params: { path: { companyId: company.id } },
      body: { company: { ...(data as unknown as Row), company_name: erpName } },
    } as never),
  );
  pass.companiesRenamed++;
  return { ...company, name: erpName };
}

/** Creates the team; its id is read back from the structure (Adobe's create answers no body). */
async function createTeam(commerce: CommerceClient, companyId: number, name: string) {
  const find = async () => (await teamsOf(commerce, companyId)).teams.get(name)?.id;
  await retryTransient(
    async () => {
      await commerce.POST('/V1/team/{companyId}', {
        params: { path: { companyId } },
        body: { team: { name, description: 'Branch in the ERP' } },
      } as never);
      return true;
    },
    { alreadyDone: async () => ((await find()) === undefined ? undefined : true) },
  );
  const id = await find();
  if (id === undefined)
    throw new Error(`team ${name} not in company ${companyId} after creating it`);
  return id;
}

async function deleteTeam(commerce: CommerceClient, teamId: number) {
  await retryTransient(async () => {
    try {
      await commerce.DELETE('/V1/team/{teamId}', { params: { path: { teamId } } });
    } catch (error) {
      // A retry after a delete whose answer was lost finds the team gone: that is done.
      if ((error as { status?: number }).status !== 404) throw error;
    }
  });
}

// ---- the changes between the two syncs, and the read-back ----

interface Changes {
  moved: string[];
  deactivated: string[];
  renamed: number | undefined;
  profile: { email: string; firstname: string } | undefined;
}

/**
 * The ERP moves one branch to another parent and makes one inactive; a buyer edits her first
 * name on the storefront; an admin renames a company in Commerce.
 */
async function makeChanges(ctx: ExampleContext, erp: ErpStructure): Promise<Changes> {
  const { netsuite, commerce } = ctx.systems;
  const parents = [...erp.parents.values()];
  const changes: Changes = { moved: [], deactivated: [], renamed: undefined, profile: undefined };
  const movable = erp.branches.filter(
    (b) => b.active && b.parentExternalId === parents[0]?.seed.externalId,
  );
  const [toMove, toDeactivate] = movable;
  if (toMove && parents[1]) {
    await retryTransient(() =>
      updateRecord(netsuite, 'customer', toMove.erpId, { parent: { id: parents[1]!.erpId } }),
    );
    changes.moved.push(toMove.externalId);
  }
  if (toDeactivate) {
    await retryTransient(() =>
      updateRecord(netsuite, 'customer', toDeactivate.erpId, { isInactive: true }),
    );
    changes.deactivated.push(toDeactivate.externalId);
  }
  const keep = erp.branches.find((b) => b.active && b !== toMove && b !== toDeactivate);
  if (keep) {
    const buyer = await findCustomer(commerce, keep.email);
    if (buyer) {
      const firstname = 'Robin';
      await commerce.PUT('/V1/customers/{customerId}', {
        params: { path: { customerId: Number(buyer.id) } },
        body: { customer: { ...buyer, firstname } },
      } as never);
      changes.profile = { email: keep.email, firstname };
    }
  }
  const company = parents[2] ? await findCompany(commerce, parents[2].seed.email) : undefined;
  if (company) {
    const { data } = await commerce.GET('/V1/company/{companyId}', {
      params: { path: { companyId: company.id } },
    });
    await commerce.PUT('/V1/company/{companyId}', {
      params: { path: { companyId: company.id } },
      body: { company: { ...(data as unknown as Row), company_name: 'Renamed in the admin' } },
    } as never);
    changes.renamed = company.id;
  }
  return changes;
}

/** What differs between the ERP's structure and Commerce's, read back from both. */
async function differences(ctx: ExampleContext, erp: ErpStructure): Promise<string[]> {
  const { commerce } = ctx.systems;
  const out: string[] = [];
  for (const [externalId, parent] of erp.parents) {
    const company = await findCompany(commerce, parent.seed.email);
    if (!company) {
      out.push(`${externalId}: no company`);
      continue;
    }
    if (company.name !== parent.name) out.push(`${externalId}: company named "${company.name}"`);
    const { teams } = await teamsOf(commerce, company.id);
    for (const branch of erp.branches.filter((b) => b.parentExternalId === externalId)) {
      const team = teams.get(branch.name);
      if (!branch.active) {
        if (team) out.push(`${branch.externalId}: inactive but its team is there`);
        continue;
      }
      const buyer = await findCustomer(commerce, branch.email);
      if (!team) out.push(`${branch.externalId}: no team in ${parent.name}`);
      else if (!buyer || !team.users.includes(Number(buyer.id)))
        out.push(`${branch.externalId}: buyer not in the team`);
    }
  }
  return out;
}

export async function run(options: CompanyHierarchyOptions = {}): Promise<CompanyHierarchyReport> {
  return withContext('company-hierarchy', options, {}, async (ctx) => {
    const started = Date.now();
    const report = emptyReport('company-hierarchy') as CompanyHierarchyReport;
    const conflicts = createConflictLog({
      store: ctx.stores.kv,
      namespace: 'company-hierarchy/conflict',
    });
    const parents = ctx.seed.customers.slice(0, options.companies ?? 4);
    await ensureErpBranches(ctx, parents, options.branches ?? 3);
    const initial = await syncOnce(ctx, await readErp(ctx, parents), conflicts, report);
    const changes =
      options.changes === false
        ? { moved: [], deactivated: [], renamed: undefined, profile: undefined }
        : await makeChanges(ctx, await readErp(ctx, parents));
    const erp = await readErp(ctx, parents);
    const second = await syncOnce(ctx, erp, conflicts, report);
    const found = await differences(ctx, erp);
    let profileKept = true;
    if (changes.profile) {
      const buyer = await findCustomer(ctx.systems.commerce, changes.profile.email);
      profileKept = buyer?.firstname === changes.profile.firstname;
    }
    const writes = (p: SyncPass) =>
      p.companiesCreated +
      p.companiesRenamed +
      p.teamsCreated +
      p.teamsRemoved +
      p.usersCreated +
      p.usersMoved;
    addMoved(report, 'commerce', writes(initial) + writes(second));
    addMoved(report, 'netsuite', changes.moved.length + changes.deactivated.length);
    report.reconciliation = { found: found.length, remaining: found.length };
    report.details = {
      initial,
      changes: second,
      moved: changes.moved,
      deactivated: changes.deactivated,
      profileKept,
      differences: found,
    };
    report.converged = found.length === 0 && profileKept;
    report.notes.push(
      `${erp.parents.size} companies, ${erp.branches.filter((b) => b.active).length} active branches as teams with their buyers`,
      `ERP changes: ${changes.moved.length} branch moved, ${changes.deactivated.length} deactivated; ${second.companiesRenamed} admin rename set back`,
    );
    report.durationMs = Date.now() - started;
    return report;
  });
}

if (isMain(import.meta.url)) {
  runPatternCli(run, {}, (report) => report.details.differences.slice(0, 20));
}
