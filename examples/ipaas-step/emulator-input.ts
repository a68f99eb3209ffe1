/** The step's input for the emulators of `shared/systems.ts`: what an iPaaS flow would pass it. */
import {
  COMMERCE_TOKEN,
  type EmulatorEndpoints,
  NETSUITE_ACCOUNT,
  NETSUITE_TBA,
  SALESFORCE_TOKEN,
} from '../shared/systems.js';
import type { StepInput } from './step.js';

export function emulatorStepInput(endpoints: EmulatorEndpoints, orderId: number): StepInput {
  return {
    orderId,
    commerce: { baseUrl: endpoints.commerce, token: COMMERCE_TOKEN },
    salesforce: { instanceUrl: endpoints.salesforce, accessToken: SALESFORCE_TOKEN },
    netsuite: {
      accountId: NETSUITE_ACCOUNT,
      baseUrl: endpoints.netsuite,
      auth: { type: 'tba', ...NETSUITE_TBA },
    },
  };
}
