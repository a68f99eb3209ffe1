import { EmulatorSnapshotError } from '../snapshot.js';
import type { CommerceEmulatorState } from '../state.js';
import {
  CompanyStore,
  type EmulatorCompany,
  type EmulatorTeam,
  type StructureNode,
} from './companies.js';
import { CreditStore, type EmulatorCreditHistory, type EmulatorCreditLimit } from './credit.js';
import {
  type EmulatorNegotiableQuote,
  type EmulatorQuoteComment,
  NegotiableQuoteStore,
} from './negotiable-quotes.js';
import type { EmulatorRole } from './roles.js';
import { type EmulatorSharedCatalog, SharedCatalogStore } from './shared-catalogs.js';

type Entries<K, V> = [K, V][];

/** The B2B part of an emulator snapshot (absent from snapshots taken before B2B existed). */
export interface B2BSnapshot {
  companies: Entries<number, EmulatorCompany>;
  teams: Entries<number, EmulatorTeam>;
  structure: Entries<number, StructureNode>;
  roles: Entries<number, EmulatorRole>;
  roleAssignments: Entries<number, number[]>;
  sharedCatalogs: Entries<number, EmulatorSharedCatalog>;
  sharedCatalogProducts: Entries<number, string[]>;
  sharedCatalogCategories: Entries<number, number[]>;
  credits: Entries<number, EmulatorCreditLimit>;
  creditHistory: Entries<number, EmulatorCreditHistory>;
  negotiableQuotes: Entries<number, EmulatorNegotiableQuote>;
  negotiableQuoteComments: EmulatorQuoteComment[];
}

const MAPS = [
  'companies',
  'teams',
  'structure',
  'roles',
  'roleAssignments',
  'sharedCatalogs',
  'sharedCatalogProducts',
  'sharedCatalogCategories',
  'credits',
  'creditHistory',
  'negotiableQuotes',
] as const;

/** Adobe Commerce B2B data of the emulator: companies, shared catalogs, credit, negotiable quotes. */
export class B2BState {
  readonly companies: CompanyStore;
  readonly sharedCatalogs: SharedCatalogStore;
  readonly credit: CreditStore;
  readonly negotiableQuotes: NegotiableQuoteStore;

  constructor(state: CommerceEmulatorState) {
    this.companies = new CompanyStore(state);
    this.sharedCatalogs = new SharedCatalogStore(state);
    this.credit = new CreditStore(state);
    this.negotiableQuotes = new NegotiableQuoteStore(state);
  }

  #sources() {
    return {
      companies: this.companies.companies,
      teams: this.companies.teams,
      structure: this.companies.structure,
      roles: this.companies.roles.roles,
      roleAssignments: this.companies.roles.assignments,
      sharedCatalogs: this.sharedCatalogs.catalogs,
      sharedCatalogProducts: this.sharedCatalogs.products,
      sharedCatalogCategories: this.sharedCatalogs.categories,
      credits: this.credit.credits,
      creditHistory: this.credit.history,
      negotiableQuotes: this.negotiableQuotes.quotes,
    } as Record<(typeof MAPS)[number], Map<unknown, unknown>>;
  }

  snapshot(): B2BSnapshot {
    const sources = this.#sources();
    const out = Object.fromEntries(
      MAPS.map((name) => [name, structuredClone([...sources[name]])]),
    ) as unknown as B2BSnapshot;
    out.negotiableQuoteComments = structuredClone(this.negotiableQuotes.comments);
    return out;
  }

  /** Replaces the B2B data with a snapshot's; a snapshot without B2B data leaves the defaults. */
  restore(input: unknown): void {
    if (input === undefined) return;
    if (!input || typeof input !== 'object') {
      throw new EmulatorSnapshotError('b2b', 'must be an object');
    }
    const data = structuredClone(input) as Record<string, unknown>;
    const sources = this.#sources();
    for (const name of MAPS) {
      const entries = data[name];
      if (!Array.isArray(entries) || entries.some((e) => !Array.isArray(e) || e.length !== 2)) {
        throw new EmulatorSnapshotError(`b2b.${name}`, 'must be an array of [key, value] pairs');
      }
      const map = sources[name];
      map.clear();
      for (const [key, value] of entries as [unknown, unknown][]) map.set(key, value);
    }
    const comments = data.negotiableQuoteComments;
    if (!Array.isArray(comments)) {
      throw new EmulatorSnapshotError('b2b.negotiableQuoteComments', 'must be an array');
    }
    this.negotiableQuotes.comments.splice(0, Infinity, ...(comments as EmulatorQuoteComment[]));
  }
}
