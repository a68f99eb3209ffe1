/**
 * The three systems an example talks to, always through the real clients over HTTP:
 *
 * - **emulators** (default): the Adobe Commerce, NetSuite and Salesforce emulators of the client
 *   packages, served on loopback ports and seeded with the realistic data of `seed.ts`;
 *   `faults: true` wraps each one in client-core's seeded fault injection (latency, 429, 5xx,
 *   connection resets).
 * - **real endpoints**: when the `PLUMBLINE_*` variables below are set, the same program talks to
 *   your systems instead. It says which it uses when it starts.
 */

import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import type { RetryOptions } from '@plumbline/client-core';
import type { FaultOptions, RunningServer } from '@plumbline/client-core/testing';
import { type CommerceClient, createCommerceClient } from '@plumbline/commerce-client';
import {
  type CommerceEmulator,
  type CommerceEmulatorSnapshot,
  type CommerceSeed,
  createCommerceEmulator,
} from '@plumbline/commerce-client/testing';
import { createSalesforceClient, type SalesforceClient } from '@plumbline/crm-salesforce';
import {
  createSalesforceEmulator,
  type SalesforceEmulator,
  type SalesforceEmulatorSnapshot,
} from '@plumbline/crm-salesforce/testing';
import { createNetSuiteClient, type NetSuiteClient } from '@plumbline/erp-netsuite';
import {
  createNetSuiteEmulator,
  type NetSuiteEmulator,
  type NetSuiteEmulatorSnapshot,
} from '@plumbline/erp-netsuite/testing';
import {
  CONTRACT_PRICE_RECORD,
  commerceCustomer,
  commerceProductBody,
  netsuiteCustomer,
  netsuiteItem,
  SF_EXTERNAL_ID,
  salesforceContact,
  seedProductFields,
} from './records.js';
import type { SeedData } from './seed.js';

export interface SystemsOptions {
  /** Data the emulators start with (ignored for real endpoints). */
  seed: SeedData;
  /** Inject faults into every emulator (latency, 429, 5xx, resets). */
  faults?: boolean;
  /** PRNG seed of the faults, so a failing run can be replayed. Default 7. */
  faultSeed?: number;
  /** Start Commerce with the catalog already loaded (default true; catalog-sync loads it itself). */
  commerceCatalog?: boolean;
  /** Start Commerce with the seed's orders placed (default true). */
  commerceOrders?: boolean;
  /** Environment to read real endpoints from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /**
   * Start the emulators from snapshots an earlier run saved (then `seed` only describes what they
   * were seeded with); see `demo/emulator-state.ts`.
   */
  snapshots?: EmulatorSnapshots;
}

/** One snapshot per emulator (plain JSON, versioned by each emulator). */
export interface EmulatorSnapshots {
  commerce: CommerceEmulatorSnapshot;
  netsuite: NetSuiteEmulatorSnapshot;
  salesforce: SalesforceEmulatorSnapshot;
}

export interface Systems {
  mode: 'emulators' | 'real';
  commerce: CommerceClient;
  netsuite: NetSuiteClient;
  salesforce: SalesforceClient;
  /** Present in emulator mode: lets tests and the demo look inside. */
  emulators?: {
    commerce: CommerceEmulator;
    netsuite: NetSuiteEmulator;
    salesforce: SalesforceEmulator;
  };
  /** One line a system: where it is and how it is reached (no secrets). */
  describe(): string[];
  /** Faults injected so far (emulator mode with faults). */
  faultCount(): number;
  close(): Promise<void>;
}

export class SystemsConfigError extends Error {
  readonly code = 'SYSTEMS_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'SystemsConfigError';
  }
}

/** Retries tuned for loopback emulators: many quick retries instead of a few slow ones. */
const RETRY: RetryOptions = { retries: 8, minDelayMs: 5, maxDelayMs: 250, maxRetryTimeMs: 20_000 };

/** The emulated NetSuite account and the TBA credentials it accepts (JSON-friendly, for the iPaaS step). */
export const NETSUITE_ACCOUNT = '1234567_SB1';
export const NETSUITE_TBA = {
  consumerKey: 'demo-consumer-key',
  consumerSecret: 'demo-consumer-secret',
  tokenId: 'demo-token-id',
  tokenSecret: 'demo-token-secret',
};
const NETSUITE_M2M = {
  clientId: 'demo-integration-client-id',
  certificateId: 'demo-certificate-id',
};
/** The integration token the Commerce emulator accepts. */
export const COMMERCE_TOKEN = 'demo-integration-token-0000000000';
/** The access token the Salesforce emulator accepts. */
export const SALESFORCE_TOKEN = '00Ddemo!salesforce-access-token';

export function faultProfile(seed: number): FaultOptions {
  return {
    seed,
    latencyMs: [0, 6],
    rate429: 0.02,
    retryAfterSeconds: 0,
    rate5xx: 0.02,
    resetRate: 0.01,
  };
}

const REAL_VARS = {
  commerce: ['PLUMBLINE_COMMERCE_URL', 'PLUMBLINE_COMMERCE_TOKEN'],
  netsuite: [
    'PLUMBLINE_NETSUITE_ACCOUNT',
    'PLUMBLINE_NETSUITE_CONSUMER_KEY',
    'PLUMBLINE_NETSUITE_CONSUMER_SECRET',
    'PLUMBLINE_NETSUITE_TOKEN_ID',
    'PLUMBLINE_NETSUITE_TOKEN_SECRET',
  ],
  salesforce: ['PLUMBLINE_SALESFORCE_URL', 'PLUMBLINE_SALESFORCE_TOKEN'],
} as const;

/** Whether any real-endpoint variable is set (then `startSystems` uses real systems). */
export function realEndpointsConfigured(
  env: Record<string, string | undefined> = process.env,
): boolean {
  return Object.values(REAL_VARS)
    .flat()
    .some((name) => env[name]);
}

/** Starts the emulators (or connects to the real systems named in the environment). */
export async function startSystems(options: SystemsOptions): Promise<Systems> {
  const env = options.env ?? process.env;
  const all = Object.values(REAL_VARS).flat();
  const present = all.filter((name) => env[name]);
  if (present.length > 0) {
    const missing = all.filter((name) => !env[name]);
    if (missing.length > 0) {
      throw new SystemsConfigError(
        `real endpoints need every one of ${all.join(', ')}; missing ${missing.join(', ')} (unset them all to use the emulators)`,
      );
    }
    return connectReal(env as Record<string, string>);
  }
  const servers = await startEmulatorServers(options);
  return emulatorSystems(servers.endpoints, { servers });
}

function connectReal(env: Record<string, string>): Systems {
  const commerce = createCommerceClient({
    baseUrl: env.PLUMBLINE_COMMERCE_URL!,
    auth: { type: 'bearer', token: env.PLUMBLINE_COMMERCE_TOKEN! },
  });
  const netsuite = createNetSuiteClient({
    accountId: env.PLUMBLINE_NETSUITE_ACCOUNT!,
    ...(env.PLUMBLINE_NETSUITE_URL ? { baseUrl: env.PLUMBLINE_NETSUITE_URL } : {}),
    auth: {
      type: 'tba',
      consumerKey: env.PLUMBLINE_NETSUITE_CONSUMER_KEY!,
      consumerSecret: env.PLUMBLINE_NETSUITE_CONSUMER_SECRET!,
      tokenId: env.PLUMBLINE_NETSUITE_TOKEN_ID!,
      tokenSecret: env.PLUMBLINE_NETSUITE_TOKEN_SECRET!,
    },
  });
  const salesforce = createSalesforceClient({
    auth: {
      type: 'accessToken',
      accessToken: env.PLUMBLINE_SALESFORCE_TOKEN!,
      instanceUrl: env.PLUMBLINE_SALESFORCE_URL!,
    },
  });
  return {
    mode: 'real',
    commerce,
    netsuite,
    salesforce,
    describe: () => [
      `Adobe Commerce  ${commerce.restUrl} (real endpoint, bearer token)`,
      `NetSuite        ${netsuite.netsuite.baseUrl} (real endpoint, account ${netsuite.netsuite.accountId}, TBA)`,
      `Salesforce      ${env.PLUMBLINE_SALESFORCE_URL} (real endpoint, access token)`,
    ],
    faultCount: () => 0,
    close: async () => {},
  };
}

/** Starts the three emulators on loopback ports, seeded, without clients. */
export async function startEmulatorServers(options: SystemsOptions): Promise<EmulatorServers> {
  const faults = options.faults ? faultProfile(options.faultSeed ?? 7) : undefined;
  const { seed } = options;

  // Commerce: customers, stock per SKU (what the ERP holds plus what the seeded orders took) and,
  // unless catalog-sync is to load it, the catalog as the ERP describes it.
  const ordered = new Map<string, number>();
  const placeOrders = options.commerceOrders ?? true;
  if (placeOrders) {
    for (const order of seed.orders) {
      for (const line of order.lines)
        ordered.set(line.sku, (ordered.get(line.sku) ?? 0) + line.qty);
    }
  }
  const withCatalog = options.commerceCatalog ?? true;
  const commerceSeed: CommerceSeed = {
    customers: seed.customers.map((c) => commerceCustomer(c)) as CommerceSeed['customers'],
  };
  if (withCatalog) {
    commerceSeed.products = seed.products.map((p) =>
      commerceProductBody(seedProductFields(p)),
    ) as CommerceSeed['products'];
    commerceSeed.sourceItems = seed.products.map((p) => ({
      sku: p.sku,
      source_code: 'default',
      quantity: p.quantity + (ordered.get(p.sku) ?? 0),
      status: 1,
    }));
    if (placeOrders) {
      const customerIds = new Map(seed.customers.map((c, i) => [c.externalId, i + 1]));
      commerceSeed.orders = seed.orders.map((order) => ({
        increment_id: order.incrementId,
        customer_id: customerIds.get(order.customerExternalId)!,
        customer_email: order.email,
        items: order.lines.map((line) => ({ sku: line.sku, qty: line.qty, price: line.price })),
      }));
    }
  }
  const snapshots = options.snapshots;
  const commerceEmulator = createCommerceEmulator({
    seed: commerceSeed,
    ...(snapshots ? { snapshot: snapshots.commerce } : {}),
    integrationTokens: [COMMERCE_TOKEN],
    ...(faults ? { faults } : {}),
  });

  // NetSuite's OAuth 2.0 machine-to-machine flow: a certificate key pair made for this run.
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const netsuiteEmulator = createNetSuiteEmulator({
    accountId: NETSUITE_ACCOUNT,
    tba: NETSUITE_TBA,
    m2m: { ...NETSUITE_M2M, publicKey: keys.publicKey },
    concurrencyLimit: 10,
    ...(faults ? { faults: { ...faults, seed: (faults.seed ?? 7) + 1 } } : {}),
    ...(snapshots ? { snapshot: snapshots.netsuite } : {}),
  });
  if (!snapshots) seedNetSuite(netsuiteEmulator, seed, withCatalog, ordered);

  const salesforceEmulator = createSalesforceEmulator({
    accessTokens: [SALESFORCE_TOKEN],
    objects: [
      {
        name: 'Contact',
        fields: [
          {
            name: SF_EXTERNAL_ID,
            type: 'string',
            length: 40,
            externalId: true,
            unique: true,
            custom: true,
            nillable: true,
            createable: true,
            updateable: true,
          },
          ...['Sales_Rep__c', 'Credit_Terms__c'].map((name) => ({
            name,
            type: 'string',
            length: 80,
            custom: true,
            nillable: true,
            createable: true,
            updateable: true,
          })),
          ...['MailingStreet', 'MailingCity', 'MailingState', 'MailingPostalCode'].map((name) => ({
            name,
            type: 'string',
            length: 255,
            nillable: true,
            createable: true,
            updateable: true,
          })),
        ],
      },
    ],
    seed: { Contact: seed.customers.map(salesforceContact) },
    ...(faults ? { faults: { ...faults, seed: (faults.seed ?? 7) + 2 } } : {}),
    ...(snapshots ? { snapshot: snapshots.salesforce } : {}),
  });

  const servers: RunningServer[] = [];
  try {
    const [c, n, s] = await Promise.all([
      commerceEmulator.listen(0),
      netsuiteEmulator.listen(0),
      salesforceEmulator.listen(0),
    ]);
    servers.push(c, n, s);
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()));
    throw error;
  }
  const [commerceServer, netsuiteServer, salesforceServer] = servers as [
    RunningServer,
    RunningServer,
    RunningServer,
  ];
  const endpoints: EmulatorEndpoints = {
    commerce: commerceServer.url,
    netsuite: netsuiteServer.url,
    salesforce: salesforceServer.url,
    netsuiteKeyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    faults: Boolean(faults),
  };
  const handlers = [commerceEmulator.fetch, netsuiteEmulator.fetch, salesforceEmulator.fetch];
  return {
    endpoints,
    emulators: {
      commerce: commerceEmulator,
      netsuite: netsuiteEmulator,
      salesforce: salesforceEmulator,
    },
    snapshot: () => ({
      commerce: commerceEmulator.snapshot(),
      netsuite: netsuiteEmulator.snapshot(),
      salesforce: salesforceEmulator.snapshot(),
    }),
    faultCount: () =>
      handlers.reduce((sum, handler) => {
        const stats = (
          handler as { stats?: { injected429: number; injected5xx: number; resets: number } }
        ).stats;
        return sum + (stats ? stats.injected429 + stats.injected5xx + stats.resets : 0);
      }, 0),
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

/** The ERP's items, customers and contract prices (each customer has prices on a dozen SKUs). */
function seedNetSuite(
  netsuiteEmulator: NetSuiteEmulator,
  seed: SeedData,
  withCatalog: boolean,
  ordered: Map<string, number>,
): void {
  netsuiteEmulator.state.insert(
    'inventoryItem',
    seed.products.map((p) => netsuiteItem(p, withCatalog ? (ordered.get(p.sku) ?? 0) : 0)),
  );
  netsuiteEmulator.state.insert('customer', seed.customers.map(netsuiteCustomer));
  // Contract prices: each customer has negotiated prices on a dozen SKUs.
  const prices: Record<string, unknown>[] = [];
  seed.customers.forEach((customer, i) => {
    for (let k = 0; k < Math.min(12, seed.products.length); k++) {
      const product = seed.products[(i * 7 + k * 13) % seed.products.length]!;
      prices.push({
        externalId: `${customer.externalId}:${product.sku}`,
        custrecord_customer: customer.externalId,
        custrecord_item: product.sku,
        custrecord_price: Math.round(product.price * customer.contractDiscount * 100) / 100,
      });
    }
  });
  netsuiteEmulator.state.insert(CONTRACT_PRICE_RECORD, prices);
}

/** Where running emulators are, and the credentials they accept (emulator-only values). */
export interface EmulatorEndpoints {
  commerce: string;
  netsuite: string;
  salesforce: string;
  /** The private key of the certificate the NetSuite emulator trusts for OAuth 2.0 M2M. */
  netsuiteKeyPem: string;
  faults: boolean;
}

export interface EmulatorServers {
  endpoints: EmulatorEndpoints;
  emulators: NonNullable<Systems['emulators']>;
  /** Every emulator's data, to start the next run from (`SystemsOptions.snapshots`). */
  snapshot(): EmulatorSnapshots;
  faultCount(): number;
  close(): Promise<void>;
}

/** Clients for emulators running on loopback ports. */
export function emulatorSystems(
  endpoints: EmulatorEndpoints,
  options: { servers?: EmulatorServers; note?: string } = {},
): Systems {
  const commerce = createCommerceClient({
    baseUrl: endpoints.commerce,
    auth: { type: 'bearer', token: COMMERCE_TOKEN },
    retry: RETRY,
  });
  const netsuite = createNetSuiteClient({
    accountId: NETSUITE_ACCOUNT,
    baseUrl: endpoints.netsuite,
    auth: {
      type: 'm2m',
      ...NETSUITE_M2M,
      privateKey: createPrivateKey(endpoints.netsuiteKeyPem),
      algorithm: 'ES256',
    },
    concurrency: 10,
    retry: RETRY,
  });
  const salesforce = createSalesforceClient({
    auth: { type: 'accessToken', accessToken: SALESFORCE_TOKEN, instanceUrl: endpoints.salesforce },
    retry: RETRY,
  });
  const tag = `${endpoints.faults ? ', faults on' : ''}${options.note ? `, ${options.note}` : ''}`;
  const servers = options.servers;
  return {
    mode: 'emulators',
    commerce,
    netsuite,
    salesforce,
    ...(servers ? { emulators: servers.emulators } : {}),
    describe: () => [
      `Adobe Commerce  ${endpoints.commerce} (emulator${tag})`,
      `NetSuite        ${endpoints.netsuite} (emulator, account ${NETSUITE_ACCOUNT}, OAuth 2.0 M2M${tag})`,
      `Salesforce      ${endpoints.salesforce} (emulator${tag})`,
    ],
    faultCount: () => servers?.faultCount() ?? 0,
    close: async () => {
      await servers?.close();
    },
  };
}
