// Shared setup of the B2B suites: an emulator over real HTTP, an admin token, and plain-fetch
// calls the way Adobe's pages write them (not this package's client).
import type { RunningServer } from '@plumbline/client-core/testing';
import { type CommerceEmulator, createCommerceEmulator } from '../../src/testing.js';
import { restCaller } from '../walkthrough/rest-call.js';

export type Fault = { message: string; parameters?: unknown };

export interface B2BStore {
  emulator: CommerceEmulator;
  server: RunningServer;
  call: ReturnType<typeof restCaller>;
  admin: string;
  /** `POST /V1/customers`, answering the new customer's id. */
  customer(email: string, firstname: string, lastname: string): Promise<number>;
  /** Adobe's company create example with our own admin customer; answers the company. */
  company(name: string, superUserId: number): Promise<{ id: number } & Record<string, unknown>>;
}

export async function startB2BStore(): Promise<B2BStore> {
  const emulator = createCommerceEmulator();
  const server = await emulator.listen();
  const call = restCaller(server.url);
  const admin = (
    await call<string>('POST', '/V1/integration/admin/token', {
      body: { username: 'admin', password: 'admin123' },
    })
  ).body;
  return {
    emulator,
    server,
    call,
    admin,
    customer: async (email, firstname, lastname) =>
      (
        await call<{ id: number }>('POST', '/V1/customers', {
          token: admin,
          body: { customer: { email, firstname, lastname } },
        })
      ).body.id,
    company: async (name, superUserId) =>
      (
        await call<{ id: number }>('POST', '/V1/company/', {
          token: admin,
          body: {
            company: {
              company_name: name,
              company_email: `${name.toLowerCase().replace(/\W+/g, '')}@example.com`,
              street: ['100 Big Tree Avenue'],
              city: 'San Francisco',
              country_id: 'US',
              region: 'CA',
              region_id: '12',
              postcode: '99999',
              telephone: '4155551212',
              super_user_id: superUserId,
              customer_group_id: 1,
            },
          },
        })
      ).body,
  };
}
