import { type Counter, globalMeter, type Meter, type Observation } from './meter.js';
import { ATTR, METRIC, SCOPE } from './names.js';

/** What the queue gauges read of a queue. */
export interface ObservedQueue {
  readonly name: string;
  stats(): Promise<{
    ready: number;
    delayed: number;
    running?: number;
    dead: number;
    done?: number;
  }>;
  list(options: { state: 'ready'; limit: number }): Promise<Array<{ createdAt: number }>>;
}

/** What the breaker gauge reads of a circuit breaker. */
export interface ObservedBreaker {
  readonly state: 'closed' | 'half-open' | 'open';
}

const BREAKER_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/** sync-core's instruments on the global meter, and what its gauges observe. */
export class SyncTelemetry {
  readonly queueJobs: Counter;
  readonly runnerRecords: Counter;
  readonly runnerRuns: Counter;
  readonly deadLetters: Counter;
  readonly conflicts: Counter;
  readonly echoes: Counter;
  readonly holds: Counter;
  readonly #queues = new Map<string, WeakRef<ObservedQueue>>();
  readonly #breakers = new Map<string, WeakRef<ObservedBreaker>>();
  /** Per runner with a cursor: the watermark (epoch ms) of its last committed checkpoint. */
  readonly #watermarks = new Map<string, number>();
  /** Per reconciliation name: what its last report found and left. */
  readonly #reconciliations = new Map<string, { found: number; left: number }>();

  constructor(meter: Meter, now: () => number = Date.now) {
    this.queueJobs = meter.createCounter(METRIC.queueJobs, {
      description: 'Queue jobs a worker of this process finished, by outcome.',
      unit: '{job}',
    });
    this.runnerRecords = meter.createCounter(METRIC.runnerRecords, {
      description: 'Records a runner handled, by outcome.',
      unit: '{record}',
    });
    this.runnerRuns = meter.createCounter(METRIC.runnerRuns, {
      description: 'Runner runs that ended, by status.',
      unit: '{run}',
    });
    this.deadLetters = meter.createCounter(METRIC.deadLetters, {
      description: 'Records parked in a dead-letter list, by the stage that failed.',
      unit: '{record}',
    });
    this.conflicts = meter.createCounter(METRIC.conflicts, {
      description: 'Field conflicts decided, by entity and the rule that decided them.',
      unit: '{conflict}',
    });
    this.echoes = meter.createCounter(METRIC.echoesSuppressed, {
      description:
        "Change events recognised as echoes of the integration's own writes and dropped.",
      unit: '{event}',
    });
    this.holds = meter.createCounter(METRIC.holds, {
      description: 'Hold operations by outcome: reserved, refused, confirmed, released, expired.',
      unit: '{hold}',
    });
    meter
      .createObservableGauge(METRIC.queueDepth, {
        description: 'Jobs in a queue, by state (dead: the dead-letter backlog).',
        unit: '{job}',
      })
      .addCallback((result) => this.#observeDepths(result));
    meter
      .createObservableGauge(METRIC.queueOldestAge, {
        description: 'Age of the oldest job ready to run (0 when none is).',
        unit: 's',
      })
      .addCallback((result) => this.#observeOldest(result, now()));
    meter
      .createObservableGauge(METRIC.cursorLag, {
        description: "Time between now and the watermark of a runner's last committed checkpoint.",
        unit: 's',
      })
      .addCallback((result) => {
        for (const [runner, watermark] of this.#watermarks)
          result.observe(Math.max(0, (now() - watermark) / 1000), { [ATTR.runner]: runner });
      });
    meter
      .createObservableGauge(METRIC.reconciliationFound, {
        description:
          'Differences the last reconciliation found (missing on either side, or different).',
        unit: '{record}',
      })
      .addCallback((result) => {
        for (const [name, report] of this.#reconciliations)
          result.observe(report.found, { [ATTR.reconciliation]: name });
      });
    meter
      .createObservableGauge(METRIC.reconciliationLeft, {
        description: 'Of those, the ones the last reconciliation did not re-drive.',
        unit: '{record}',
      })
      .addCallback((result) => {
        for (const [name, report] of this.#reconciliations)
          result.observe(report.left, { [ATTR.reconciliation]: name });
      });
    meter
      .createObservableGauge(METRIC.breakerState, {
        description: 'Circuit breaker state: 0 closed, 1 half-open, 2 open.',
      })
      .addCallback((result) => {
        for (const [name, ref] of this.#breakers) {
          const breaker = ref.deref();
          if (breaker === undefined) this.#breakers.delete(name);
          else result.observe(BREAKER_VALUE[breaker.state], { [ATTR.breaker]: name });
        }
      });
  }

  watchQueue(queue: ObservedQueue): void {
    this.#queues.set(queue.name, new WeakRef(queue));
  }

  watchBreaker(name: string, breaker: ObservedBreaker): void {
    this.#breakers.set(name, new WeakRef(breaker));
  }

  cursorCommitted(runner: string, watermark: number): void {
    this.#watermarks.set(runner, watermark);
  }

  reconciled(name: string, found: number, left: number): void {
    this.#reconciliations.set(name, { found, left });
  }

  #liveQueues(): ObservedQueue[] {
    const live: ObservedQueue[] = [];
    for (const [name, ref] of this.#queues) {
      const queue = ref.deref();
      if (queue === undefined) this.#queues.delete(name);
      else live.push(queue);
    }
    return live;
  }

  async #observeDepths(result: Observation): Promise<void> {
    await Promise.all(
      this.#liveQueues().map(async (queue) => {
        let stats: Awaited<ReturnType<ObservedQueue['stats']>>;
        try {
          stats = await queue.stats();
        } catch {
          return; // a store that does not answer has no depth to report this time
        }
        for (const state of ['ready', 'delayed', 'running', 'dead', 'done'] as const) {
          const value = stats[state];
          if (value !== undefined)
            result.observe(value, { [ATTR.queue]: queue.name, [ATTR.jobState]: state });
        }
      }),
    );
  }

  async #observeOldest(result: Observation, now: number): Promise<void> {
    await Promise.all(
      this.#liveQueues().map(async (queue) => {
        let oldest: Array<{ createdAt: number }>;
        try {
          oldest = await queue.list({ state: 'ready', limit: 1 });
        } catch {
          return;
        }
        const createdAt = oldest[0]?.createdAt;
        const age = createdAt === undefined ? 0 : Math.max(0, (now - createdAt) / 1000);
        result.observe(age, { [ATTR.queue]: queue.name });
      }),
    );
  }
}

let current: SyncTelemetry | null | undefined;

/**
 * sync-core's telemetry, resolved at its first use: on when `@opentelemetry/api` is installed and
 * an SDK registered a global meter provider by then, else off (undefined) for the process.
 */
export function syncTelemetry(): SyncTelemetry | undefined {
  if (current === undefined) {
    const meter = globalMeter(SCOPE);
    current = meter === undefined ? null : new SyncTelemetry(meter);
  }
  return current ?? undefined;
}
