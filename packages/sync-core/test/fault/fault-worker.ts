// One manager process of a fault schedule. Run with `node --import tsx`; config as JSON in
// PLUMBLINE_FAULT_WORKER. Its clock is skewed as the schedule says (Date.now itself, as on a
// machine whose clock is off); the stores are reached through the fault proxy, the sinks directly.
import { type ActorEvent, type Parts, runActor } from './actor.js';
import { type Endpoints, openBackends, openSinkWriter, type ProcessStore } from './backends.js';
import type { Schedule } from './schedule.js';

/** What every process of a run shares; its role (index, parts) comes with the harness's `go`. */
export interface FaultWorkerConfig {
  store: ProcessStore;
  prefix: string;
  schedule: Schedule;
  /** The stores, as this worker reaches them (through the proxy). */
  stores: Endpoints;
  /** The sinks, reached directly. */
  sinks: Endpoints;
}

export interface Role {
  index: number;
  parts: Parts;
}

const config = JSON.parse(process.env.PLUMBLINE_FAULT_WORKER ?? '{}') as FaultWorkerConfig;
const send = (message: ActorEvent | { type: string; [field: string]: unknown }) =>
  process.send?.(message);

// Orphaned (the harness died or timed out): leave rather than linger.
process.on('disconnect', () => process.exit(1));

/** Skews this process's clock (Date.now itself) by the schedule's offset for its role. */
function skewClock(offsetMs: number) {
  if (offsetMs === 0) return;
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + offsetMs;
}

async function main() {
  const stop = new AbortController();
  process.on('SIGTERM', () => stop.abort());
  // The role comes with the harness's word, so all managers start together (and a standby waits).
  const role = await new Promise<Role>((resolve) => {
    process.on('message', (message: { type?: string } & Partial<Role>) => {
      if (message?.type === 'go') resolve({ index: message.index!, parts: message.parts! });
    });
    send({ type: 'ready', pid: process.pid });
  });
  skewClock(config.schedule.skewMs[role.index] ?? 0);
  const backends = openBackends(config.store, config.stores, config.prefix);
  const sinks = openSinkWriter(config.store, config.sinks, config.prefix);
  await runActor({
    index: role.index,
    pid: process.pid,
    schedule: config.schedule,
    backends,
    sinks,
    clock: () => Date.now(),
    parts: role.parts,
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
    console.error('[fault worker]', error);
    process.exit(1);
  },
);
