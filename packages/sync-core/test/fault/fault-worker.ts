// One manager process of a fault schedule. Run with `node --import tsx`; config as JSON in
// PLUMBLINE_FAULT_WORKER. Its clock is skewed as the schedule says (Date.now itself, as on a
// machine whose clock is off); the stores are reached through the fault proxy, the sinks directly.
import { type ActorEvent, runActor } from './actor.js';
import { type Endpoints, openBackends, openSinkWriter, type ProcessStore } from './backends.js';
import type { Schedule } from './schedule.js';

export interface FaultWorkerConfig {
  index: number;
  store: ProcessStore;
  prefix: string;
  schedule: Schedule;
  /** The stores, as this worker reaches them (through the proxy). */
  stores: Endpoints;
  /** The sinks, reached directly. */
  sinks: Endpoints;
  parts: { queue: boolean; idem: boolean; reserve: boolean };
}

const config = JSON.parse(process.env.PLUMBLINE_FAULT_WORKER ?? '{}') as FaultWorkerConfig;
const send = (message: ActorEvent | { type: string; [field: string]: unknown }) =>
  process.send?.(message);

// Orphaned (the harness died or timed out): leave rather than linger.
process.on('disconnect', () => process.exit(1));

const skew = config.schedule.skewMs[config.index] ?? 0;
if (skew !== 0) {
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + skew;
}

async function main() {
  const backends = openBackends(config.store, config.stores, config.prefix);
  const sinks = openSinkWriter(config.store, config.sinks, config.prefix);
  const stop = new AbortController();
  // Every manager starts its schedule on the harness's word, so all start together.
  const go = new Promise<void>((resolve) => {
    process.on('message', (message: { type?: string }) => {
      if (message?.type === 'go') resolve();
      if (message?.type === 'stop') stop.abort();
    });
  });
  send({ type: 'ready', pid: process.pid });
  await go;
  await runActor({
    index: config.index,
    pid: process.pid,
    schedule: config.schedule,
    backends,
    sinks,
    clock: () => Date.now(),
    parts: config.parts,
    emit: send,
    hang: () => new Promise<never>(() => setInterval(() => {}, 60_000)),
    signal: stop.signal,
  });
  send({ type: 'done' });
  await backends.close().catch(() => {});
  await sinks.close().catch(() => {});
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`[fault worker ${config.index}]`, error);
    process.exit(1);
  },
);
