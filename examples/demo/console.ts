/**
 * `demo --console`: the operations console (@plumbline/ops-console) on the demo's own state —
 * the dual-write queue and its dead letters, customer-master's conflict log and cursors, the last
 * reconciliation of the dual-write run, and customer-master's source-of-truth matrix — served on
 * loopback until Ctrl-C.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ConsoleHandler,
  type ConsoleOptions,
  createConsole,
  nodeListener,
} from '@plumbline/ops-console';
import {
  createCheckpointStore,
  createConflictLog,
  createQueue,
  type ReconcileKey,
} from '@plumbline/sync-core';
import { ownership as customerOwnership } from '../customer-master/index.js';
import type { DualWriteReport } from '../dual-write-order/index.js';
import type { PatternReport } from '../shared/report.js';
import type { Stores } from '../shared/stores.js';

/** The queue the dual-write pattern works, as it names it. */
export const DUAL_WRITE_QUEUE = 'dual-write-orders';

/** Only requests addressed to a loopback name may act (a DNS-rebinding page names its own host). */
export function loopbackOnly(request: Request): boolean {
  const host = new URL(request.url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

export interface DemoConsoleOptions {
  stores: Stores;
  /** The demo's pattern reports: the dual-write one carries the last reconciliation. */
  reports?: readonly PatternReport[];
  /** Who may replay and re-drive; default `loopbackOnly`. */
  authorize?: ConsoleOptions['authorize'];
}

/** The console handler over the demo's stores. */
export function demoConsole(options: DemoConsoleOptions): ConsoleHandler {
  const { kv, queue: queueStore } = options.stores;
  const queue = createQueue(queueStore, { name: DUAL_WRITE_QUEUE });
  const checkpoints = createCheckpointStore({ store: kv, namespace: 'customer-master/cursor' });
  const dualWrite = options.reports?.find((r) => r.pattern === 'dual-write-order') as
    | DualWriteReport
    | undefined;
  const last = dualWrite?.lastReconciliation;
  return createConsole({
    title: 'Plumbline demo operations',
    authorize: options.authorize ?? loopbackOnly,
    queues: { [DUAL_WRITE_QUEUE]: queue },
    conflicts: {
      log: createConflictLog({ store: kv, namespace: 'customer-master/conflict' }),
      entities: ['customer'],
    },
    reconciliation: {
      last: () =>
        last && {
          name: 'Commerce orders ↔ NetSuite sales orders (dual-write-order)',
          at: last.at,
          report: last.report,
        },
      // Re-drive = replay the dead job of each missing order; the next run's workers write it.
      redrive: async (keys: ReconcileKey[]) => {
        const wanted = new Set(keys.map(String));
        for (const job of await queue.deadLetters({ limit: 10_000 })) {
          if (job.key !== undefined && wanted.has(job.key)) await queue.replay(job.id);
        }
      },
    },
    runners: Object.fromEntries(
      ['commerce', 'netsuite', 'salesforce'].map((system) => [
        `customer-master ← ${system}`,
        { cursor: { checkpoints, name: system } },
      ]),
    ),
    ownership: customerOwnership,
  });
}

export interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

/** Serves the demo console on 127.0.0.1 (`port` 0: any free port). */
export async function serveDemoConsole(
  options: DemoConsoleOptions & { port?: number },
): Promise<RunningConsole> {
  const server = createServer(nodeListener(demoConsole(options)));
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
