// Runs one schedule against a store shared by worker processes: enqueues the jobs, starts three
// managers, lets the nemesis loose (SIGKILL mid-effect, connection cuts and delays through the
// proxy, skewed clocks), waits for the work to settle, then reads the stores and sinks.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createQueue, type HoldStatus, type StockLevel } from '../../src/index.js';
import { dropMysqlPrefix, mysqlPool } from '../support/mysql.js';
import { dropPostgresPrefix, postgresPool } from '../support/postgres.js';
import { deleteRedisPrefix, redisClient } from '../support/redis.js';
import { mysqlConfig, postgresConfig, rabbitUrl, services } from '../support/services.js';
import { type ActorEvent, QUEUE_NAME } from './actor.js';
import {
  createSinks,
  type Endpoints,
  openBackends,
  openSinkReader,
  type ProcessStore,
} from './backends.js';
import type { FaultWorkerConfig, Role } from './fault-worker.js';
import { checkInvariants, type Observation, type Verdict } from './invariants.js';
import { auditWhenReachable, RUNNER_INDEX, type RunnerAudit } from './runner-work.js';
import { type Schedule, type ScheduledJob, TIMING } from './schedule.js';
import { type FaultProxy, startFaultProxy } from './tcp-proxy.js';

const workerScript = fileURLToPath(new URL('./fault-worker.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('../..', import.meta.url));

export interface RunOutcome extends Verdict {
  seed: number;
  store: string;
}

interface Manager {
  index: number;
  child: ChildProcess;
  pid: number;
  exited: Promise<void>;
  alive: boolean;
  ready: boolean;
}

/** The direct endpoints of a store kind and the proxies the workers go through instead. */
async function wire(store: ProcessStore, prefix: string) {
  const direct: Endpoints = {};
  const proxied: Endpoints = {};
  const proxies: FaultProxy[] = [];
  if (store === 'sqlite') {
    direct.sqliteFile = join(tmpdir(), `plumbline-${prefix}.db`);
    proxied.sqliteFile = direct.sqliteFile;
  }
  if (store === 'postgres') {
    direct.postgres = postgresConfig;
    const proxy = await startFaultProxy(services.postgres);
    proxies.push(proxy);
    proxied.postgres = { ...postgresConfig, host: proxy.host, port: proxy.port };
  }
  if (store === 'mysql') {
    direct.mysql = mysqlConfig;
    const proxy = await startFaultProxy(services.mysql);
    proxies.push(proxy);
    proxied.mysql = { ...mysqlConfig, host: proxy.host, port: proxy.port };
  }
  if (store === 'redis' || store === 'rabbitmq') {
    direct.redis = services.redis;
    const proxy = await startFaultProxy(services.redis);
    proxies.push(proxy);
    proxied.redis = { host: proxy.host, port: proxy.port };
  }
  if (store === 'rabbitmq') {
    direct.rabbitUrl = rabbitUrl;
    const proxy = await startFaultProxy(services.rabbitmq);
    proxies.push(proxy);
    const url = new URL(rabbitUrl);
    url.hostname = proxy.host;
    url.port = String(proxy.port);
    proxied.rabbitUrl = url.toString();
  }
  return { direct, proxied, proxies };
}

export async function runProcessSchedule(
  schedule: Schedule,
  options: { stallMs?: number } = {},
): Promise<RunOutcome> {
  const store = schedule.store as ProcessStore;
  const prefix = `flt${randomBytes(3).toString('hex')}_`;
  const { direct, proxied, proxies } = await wire(store, prefix);
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  const events: Array<ActorEvent & { pid: number }> = [];
  const killed = new Set<number>();
  const timers: NodeJS.Timeout[] = [];
  const crashes: string[] = [];
  let stopping = false;
  try {
    await createSinks(store, direct, prefix);
    const parent = openBackends(store, direct, prefix);
    cleanups.push(() => parent.close());
    const sinks = openSinkReader(store, direct, prefix);
    cleanups.push(() => sinks.close());
    cleanups.push(() => dropEverything(store, direct, prefix));
    const queue = createQueue<ScheduledJob>(parent.queue, { name: QUEUE_NAME, maxAttempts: 10 });

    for (const [sku, qty] of Object.entries(schedule.reserve.stock)) {
      await parent.reservations?.setStock(sku, qty);
    }
    const enqueued = await enqueueAll(schedule, queue, store, proxied, prefix, proxies);

    // A process takes seconds (of CPU) to start on a loaded machine, so as many wait on standby as
    // kills are still planned (at most two: the queue's and the runner's land at about the same
    // time): a killed manager is replaced at once. One that dies on its own is replaced by a
    // process started then.
    const config: FaultWorkerConfig = { store, prefix, schedule, stores: proxied, sinks: direct };
    const standbys: Manager[] = [];
    let plannedKills = schedule.queue.hangAfterEffect.length + (schedule.runner.kill ? 1 : 0);
    const keepStandbys = () => {
      while (standbys.length < Math.min(2, plannedKills)) standbys.push(startProcess());
    };
    // A replacement works the queue; the runner's replacement also resumes the sync.
    const replacement = (index: number): Role['parts'] => ({
      queue: true,
      idem: false,
      reserve: false,
      ...(index === RUNNER_INDEX ? { runner: 'resume' as const } : {}),
    });
    // The runner audited at each kill of a runner, while the replacement takes over.
    const audits: Array<Promise<{ when: string; audit: RunnerAudit | string }>> = [];
    const readOnce = async () => (await sinks.read()).once;
    const startProcess = (): Manager => {
      const child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
        cwd: packageDir,
        stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
        env: { ...process.env, PLUMBLINE_FAULT_WORKER: JSON.stringify(config) },
      });
      const manager: Manager = {
        index: -1,
        child,
        pid: child.pid!,
        alive: true,
        ready: false,
        exited: new Promise((resolve) => child.once('exit', () => resolve())),
      };
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4_000);
      });
      child.once('exit', (code, signal) => {
        manager.alive = false;
        if (killed.has(manager.pid) || stopping || code === 0 || manager.index < 0) return;
        // Died on its own: a supervisor would start it again, and the run reports it.
        const lines = stderr.split('\n').map((line) => line.trim());
        const first =
          [lines.find((l) => /^\w*Error\b/.test(l)), lines.find((l) => /^Emitted 'error'/.test(l))]
            .filter(Boolean)
            .join(' / ') || `exit ${code ?? signal}`;
        crashes.push(`worker ${manager.pid} died (${code ?? signal}): ${first.trim()}`);
        assign({ index: manager.index, parts: replacement(manager.index) });
      });
      child.on('message', (message: ActorEvent | { type: string }) => {
        if (message.type === 'ready') {
          manager.ready = true;
          return;
        }
        if (message.type === 'done') return;
        events.push({ ...(message as ActorEvent), pid: manager.pid });
        if (message.type === 'hanging') {
          // The effect is applied, the record is not: the hard case.
          killed.add(manager.pid);
          child.kill('SIGKILL');
          plannedKills -= 1;
          assign({ index: manager.index, parts: replacement(manager.index) });
          const key = (message as { key: string }).key;
          if (key.startsWith('runner:')) {
            audits.push(
              manager.exited.then(async () => ({
                when: `after the kill at ${key}`,
                audit: await auditWhenReachable(schedule, parent.kv, readOnce),
              })),
            );
          }
        }
      });
      all.push(manager);
      return manager;
    };
    /** Gives a role to the standby (waiting for it to be up) and starts the next standby. */
    const assign = (role: Role) => {
      const manager = standbys.shift() ?? startProcess();
      keepStandbys();
      manager.index = role.index;
      void (async () => {
        while (!manager.ready && manager.alive && !stopping) await sleep(25);
        if (manager.alive && !stopping) manager.child.send({ type: 'go', ...role });
      })();
      return manager;
    };
    const all: Manager[] = [];
    const originals = Array.from({ length: schedule.workers }, () => startProcess());
    keepStandbys();
    cleanups.push(async () => {
      stopping = true;
      for (const m of all) if (m.alive) m.child.kill('SIGKILL');
      await Promise.all(all.map((m) => m.exited));
    });

    // Starting a process takes long on a loaded machine: the schedule's clock starts once all are up.
    const startBy = Date.now() + 60_000;
    while (!originals.every((m) => m.ready) && Date.now() < startBy) {
      if (originals.some((m) => !m.alive))
        throw new Error(`seed=${schedule.seed} store=${store}: a worker died on start`);
      await sleep(50);
    }
    originals.forEach((m, index) => {
      m.index = index;
      m.child.send({
        type: 'go',
        index,
        parts: {
          queue: true,
          idem: true,
          reserve: schedule.profile.reserve,
          ...(index === RUNNER_INDEX ? { runner: 'first' as const } : {}),
        },
      });
    });
    for (const action of schedule.nemesis) {
      timers.push(
        setTimeout(() => {
          for (const proxy of proxies) {
            if (action.action === 'cut') {
              proxy.cutAll();
              proxy.refuseFor(action.refuseMs);
            } else {
              proxy.setDelay(action.ms);
              timers.push(setTimeout(() => proxy.setDelay(0), action.forMs));
            }
          }
        }, action.atMs),
      );
    }

    // Settle: the originals finished their calls and holds, and every job is done or dead.
    const finished = (part: 'idem' | 'reserve') =>
      originals.every(
        (m) =>
          killed.has(m.pid) ||
          !m.alive ||
          events.some((e) => e.pid === m.pid && e.type === 'finished' && e.part === part),
      );
    // Waits while the work moves; gives up after `stallMs` without progress (a lost job never settles).
    const stallMs = options.stallMs ?? 20_000;
    let last = '';
    let movedAt = Date.now();
    let settledSince: number | undefined;
    for (;;) {
      const progress = await queueProgress(schedule, queue, await sinks.read());
      const state = `${progress.settled}/${progress.pending}/${events.length}`;
      if (state !== last) {
        last = state;
        movedAt = Date.now();
      }
      const enough =
        finished('idem') &&
        runnerFinished(events, killed) &&
        (!schedule.profile.reserve || finished('reserve')) &&
        progress.pending === 0 &&
        progress.settled === schedule.queue.jobs.length;
      // On RabbitMQ, settled for longer than the longest retry backoff (300 ms): its stats count
      // only the retry queues this process has declared, so a retry waiting in a worker's delay
      // queue shows only once it is due again.
      settledSince = enough ? (settledSince ?? Date.now()) : undefined;
      const quietMs = store === 'rabbitmq' ? 600 : 0;
      if (settledSince !== undefined && Date.now() - settledSince >= quietMs) break;
      if (Date.now() - movedAt > stallMs) break;
      await sleep(150);
    }
    for (const timer of timers) clearTimeout(timer);
    for (const proxy of proxies) proxy.setDelay(0);
    stopping = true;
    for (const m of all) {
      // A standby (or a replacement still starting) has done nothing: it need not stop cleanly.
      if (m.alive) m.child.kill(m.index >= 0 && m.ready ? 'SIGTERM' : 'SIGKILL');
    }
    await Promise.race([Promise.all(all.map((m) => m.exited)), sleep(10_000)]);

    // Holds: let every TTL run out, then sweep, so each hold has its final state.
    let holds = new Map<string, HoldStatus | undefined>();
    const levels = new Map<string, StockLevel>();
    if (schedule.profile.reserve && parent.reservations) {
      await sleep(TIMING.holdTtlMs + 200);
      await parent.reservations.sweep();
      holds = new Map(
        await Promise.all(
          schedule.reserve.ops
            .flat()
            .map(async (op) => [op.key, (await parent.reservations!.get(op.key))?.status] as const),
        ),
      );
      for (const sku of Object.keys(schedule.reserve.stock)) {
        levels.set(sku, await parent.reservations.level(sku));
      }
    }

    const keys = [
      ...schedule.queue.jobs.map((job) => job.key),
      ...new Set(schedule.idem.calls.flat().map((call) => call.key)),
    ];
    const records = new Map(
      await Promise.all(
        keys.map(async (key) => [key, (await parent.idem.get(key))?.state] as const),
      ),
    );
    const stats = await queue.stats();
    const runner = {
      audits: [
        ...(await Promise.all(audits)),
        { when: 'at the end', audit: await auditWhenReachable(schedule, parent.kv, readOnce) },
      ],
      finished: runnerFinished(events, killed),
    };
    const observation: Observation = {
      schedule,
      enqueued,
      records,
      dead: await queue.deadLetters({ limit: 10_000 }),
      pending: stats.ready + stats.delayed + (stats.running ?? 0),
      sinks: await sinks.read(),
      killed,
      events,
      holds,
      levels,
      runner,
    };
    const verdict = checkInvariants(observation);
    for (const crash of crashes) {
      verdict.violations.push(
        `seed=${schedule.seed} store=${store}: a fault never crashes a worker: ${crash}`,
      );
    }
    verdict.report.kills = killed.size;
    verdict.report.cuts = proxies.reduce((n, p) => n + p.stats().cut, 0);
    return { seed: schedule.seed, store, ...verdict };
  } finally {
    for (const timer of timers) clearTimeout(timer);
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
    for (const proxy of proxies) await proxy.close();
  }
}

/** The sync ran to the end in a process that was not killed afterwards. */
export function runnerFinished(
  events: ReadonlyArray<ActorEvent & { pid: number }>,
  killed: ReadonlySet<number>,
): boolean {
  return events.some((e) => e.type === 'finished' && e.part === 'runner' && !killed.has(e.pid));
}

/** Jobs done or dead-lettered, and jobs still queued or running. */
async function queueProgress(
  schedule: Schedule,
  queue: {
    stats(): Promise<{ ready: number; delayed: number; running?: number }>;
    deadLetters(o: { limit: number }): Promise<Array<{ key?: string }>>;
  },
  sinks: { once: Map<string, number> },
): Promise<{ settled: number; pending: number }> {
  try {
    const stats = await queue.stats();
    const dead = new Set((await queue.deadLetters({ limit: 10_000 })).map((d) => d.key));
    return {
      settled: schedule.queue.jobs.filter((job) => sinks.once.has(job.key) || dead.has(job.key))
        .length,
      pending: stats.ready + stats.delayed + (stats.running ?? 0),
    };
  } catch {
    return { settled: -1, pending: -1 };
  }
}

/**
 * Enqueues every job; on RabbitMQ the first enqueue of the `publishFail` keys is made through a
 * proxy that refuses the broker (the publish fails), and the caller retries as a user would.
 */
async function enqueueAll(
  schedule: Schedule,
  queue: {
    enqueue(p: ScheduledJob, o: { key: string }): Promise<{ id: string; created: boolean }>;
  },
  store: ProcessStore,
  proxied: Endpoints,
  prefix: string,
  proxies: FaultProxy[],
) {
  const enqueued: Observation['enqueued'] = [];
  const failFirst = new Set(schedule.queue.publishFail);
  if (failFirst.size > 0 && store === 'rabbitmq') {
    const unreachable = openBackends(store, proxied, prefix);
    const broken = createQueue<ScheduledJob>(unreachable.queue, {
      name: QUEUE_NAME,
      maxAttempts: 10,
    });
    const rabbit = proxies[proxies.length - 1]!;
    rabbit.cutAll();
    rabbit.refuseFor(60_000);
    for (const job of schedule.queue.jobs.filter((j) => failFirst.has(j.key))) {
      await broken.enqueue(job, { key: job.key }).catch(() => {});
    }
    rabbit.refuseFor(0);
    await unreachable.close().catch(() => {});
  }
  for (const job of schedule.queue.jobs) {
    const result = await queue.enqueue(job, { key: job.key });
    enqueued.push({ key: job.key, ...result });
  }
  for (const key of schedule.queue.duplicates) {
    const job = schedule.queue.jobs.find((j) => j.key === key)!;
    await queue.enqueue(job, { key });
  }
  return enqueued;
}

async function dropEverything(store: ProcessStore, direct: Endpoints, prefix: string) {
  if (store === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) rmSync(direct.sqliteFile! + suffix, { force: true });
  }
  if (store === 'postgres') {
    const pool = postgresPool(2);
    await dropPostgresPrefix(pool, prefix);
    await pool.end();
  }
  if (store === 'mysql') {
    const pool = mysqlPool(2);
    await dropMysqlPrefix(pool, prefix);
    await pool.end();
  }
  if (store === 'redis' || store === 'rabbitmq') {
    const redis = redisClient();
    await deleteRedisPrefix(redis, prefix);
    redis.disconnect();
  }
  if (store === 'rabbitmq') {
    const { rabbitmqQueueStore } = await import('../../src/rabbitmq.js');
    const rabbit = rabbitmqQueueStore(direct.rabbitUrl!, { prefix });
    await rabbit.deleteQueue(QUEUE_NAME).catch(() => {});
    await rabbit.close();
  }
}
