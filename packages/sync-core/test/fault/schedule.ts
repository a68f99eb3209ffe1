// A fault schedule: everything one run does, drawn from a seed so that a failing run can be
// replayed exactly (`pnpm soak -- --seed N`). Timing still varies between runs of one seed (the
// processes race for real); the schedule fixes what is done, to which keys, and when the nemesis
// strikes.
import { mulberry32 } from '@plumbline/client-core/testing';

export type StoreKind = 'memory' | 'sqlite' | 'postgres' | 'mysql' | 'redis' | 'rabbitmq';

/** What the nemesis may do in a run. */
export interface FaultProfile {
  /** SIGKILL a worker after a job's effect and before its record (the hard case). */
  kill: boolean;
  /** Reset every live connection through the proxy and refuse new ones for a moment. */
  cut: boolean;
  /** Delay every chunk through the proxy for a moment. */
  delay: boolean;
  /** Managers' clocks differ by ±5 s. */
  skew: boolean;
  /** Some jobs run longer than their queue lease (the heartbeat must keep it). */
  slowLease: boolean;
  /** Some idempotent calls run longer than their lock while duplicates wait. */
  slowLock: boolean;
  /** The first enqueue of some keys fails (the broker is unreachable) and the caller retries. */
  publishFail: boolean;
  /** Reservations: reserve, confirm, release and abandon holds across managers. */
  reserve: boolean;
}

export const FAULTS = [
  'kill',
  'cut',
  'delay',
  'skew',
  'slowLease',
  'slowLock',
  'publishFail',
  'reserve',
] as const satisfies ReadonlyArray<keyof FaultProfile>;

export function profileOf(faults: ReadonlyArray<keyof FaultProfile>): FaultProfile {
  const profile = Object.fromEntries(FAULTS.map((f) => [f, false])) as unknown as FaultProfile;
  for (const fault of faults) profile[fault] = true;
  return profile;
}

export interface ScheduleSize {
  jobs: number;
  idemKeys: number;
  skus: number;
  holdsPerWorker: number;
  /** Source rows of the sync runner's work. */
  runnerRows: number;
}

export const CI_SIZE: ScheduleSize = {
  jobs: 24,
  idemKeys: 6,
  skus: 3,
  holdsPerWorker: 10,
  runnerRows: 60,
};

/** Queue lease and idempotency lock of every run (short, so a dead holder's work comes back fast). */
export const TIMING = { leaseMs: 800, lockMs: 1_000, holdTtlMs: 1_500 } as const;

export interface ScheduledJob {
  key: string;
  n: number;
  /** The handler refuses it for good: it must end dead-lettered. */
  poison: boolean;
  /** Work before the effect. */
  slowMs: number;
}

export interface IdemCall {
  key: string;
  /** Start, ms after the workers are up. */
  atMs: number;
  slowMs: number;
}

export interface HoldOp {
  sku: string;
  qty: number;
  key: string;
  atMs: number;
  /** What the manager does with the hold, and how long after reserving. */
  finish: 'confirm' | 'release' | 'abandon';
  afterMs: number;
}

export type NemesisAction =
  | { atMs: number; action: 'cut'; refuseMs: number }
  | { atMs: number; action: 'delay'; ms: number; forMs: number };

export interface Schedule {
  seed: number;
  store: StoreKind;
  profile: FaultProfile;
  workers: number;
  /** Clock offset of each worker (manager). */
  skewMs: number[];
  queue: {
    jobs: ScheduledJob[];
    /** Keys enqueued a second time while the first is still queued. */
    duplicates: string[];
    /** Keys whose first enqueue is made while the broker is unreachable. */
    publishFail: string[];
    /** Keys whose first runner hangs after the effect, to be SIGKILLed there. */
    hangAfterEffect: string[];
  };
  idem: { calls: IdemCall[][] };
  reserve: { stock: Record<string, number>; ops: HoldOp[][] };
  /**
   * The sync runner's work: `rows` source rows, `perTimestamp` sharing each timestamp; the ids in
   * `poison` fail for good in the sink (parked). With `kill`, the first runner is SIGKILLed inside
   * the dead-letter target before its `n`th park lands, or inside its `n`th sink call after the
   * write, before the checkpoint moves.
   */
  runner: { rows: number; perTimestamp: number; poison: number[]; kill?: RunnerKill };
  nemesis: NemesisAction[];
}

export interface RunnerKill {
  at: 'park' | 'sink';
  n: number;
}

export function makeSchedule(
  seed: number,
  store: StoreKind,
  profile: FaultProfile,
  size: ScheduleSize = CI_SIZE,
): Schedule {
  const random = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const chance = (p: number) => random() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const workers = 3;

  // At least one fast and one slow clock when skewed, so every run has a pair 10 s apart.
  const skewMs = profile.skew
    ? [5_000, -5_000, pick([5_000, 0, -5_000])].sort(() => random() - 0.5)
    : [0, 0, 0];

  const jobs: ScheduledJob[] = Array.from({ length: size.jobs }, (_, n) => ({
    key: `job-${n}`,
    n,
    poison: chance(0.1),
    slowMs: profile.slowLease && chance(0.08) ? TIMING.leaseMs * 2 : int(0, 5),
  }));
  const healthy = jobs.filter((job) => !job.poison && job.slowMs < TIMING.leaseMs);
  const duplicates = jobs.filter(() => chance(0.15)).map((job) => job.key);
  const publishFail =
    profile.publishFail && store === 'rabbitmq'
      ? jobs.filter((job) => !job.poison && chance(0.1)).map((job) => job.key)
      : [];
  const hangAfterEffect: string[] = [];
  if (profile.kill) {
    const kills = int(1, 2);
    while (hangAfterEffect.length < Math.min(kills, healthy.length)) {
      const key = pick(healthy).key;
      if (!hangAfterEffect.includes(key)) hangAfterEffect.push(key);
    }
  }

  // Every worker calls every idempotency key (duplicate deliveries), at nearby moments.
  const idemKeys = Array.from({ length: size.idemKeys }, (_, i) => ({
    key: `idem-${i}`,
    atMs: int(0, 2_500),
    slow: profile.slowLock && chance(0.4),
  }));
  const calls = Array.from({ length: workers }, (_, w) =>
    idemKeys.map(({ key, atMs, slow }) => ({
      key,
      atMs: atMs + w * int(5, 60),
      slowMs: slow && w === 0 ? Math.round(TIMING.lockMs * 2.5) : int(0, 10),
    })),
  );

  const stock: Record<string, number> = {};
  const ops: HoldOp[][] = Array.from({ length: workers }, () => []);
  if (profile.reserve) {
    // Little stock and many holds: managers contend for the last units, where an oversell shows.
    for (let s = 0; s < size.skus; s++) stock[`sku-${s}`] = int(1, 3);
    for (let w = 0; w < workers; w++) {
      for (let h = 0; h < size.holdsPerWorker; h++) {
        const roll = random();
        ops[w]!.push({
          sku: pick(Object.keys(stock)),
          qty: int(1, 2),
          key: `hold-${w}-${h}`,
          atMs: int(0, 2_500),
          finish: roll < 0.6 ? 'confirm' : roll < 0.75 ? 'release' : 'abandon',
          // Some confirms land after the hold's TTL (on a slow clock they still look live).
          afterMs: chance(0.25) ? TIMING.holdTtlMs + int(100, 600) : int(0, 300),
        });
      }
    }
  }

  const perTimestamp = 3;
  const poisonRows = Array.from({ length: size.runnerRows }, (_, id) => id).filter(() =>
    chance(0.12),
  );
  if (poisonRows.length === 0) poisonRows.push(int(0, size.runnerRows - 1));
  // Killed mid-run: mostly inside the dead-letter target, where a checkpoint that ran ahead of
  // its parks would pass a row that is nowhere.
  const runnerKill: RunnerKill | undefined = profile.kill
    ? chance(0.65)
      ? // From the second park on, so the checkpoint has passed parked rows when the kill lands.
        { at: 'park', n: Math.min(poisonRows.length, int(2, Math.ceil(poisonRows.length / 2) + 1)) }
      : { at: 'sink', n: int(2, Math.max(2, Math.floor(size.runnerRows / 8))) }
    : undefined;

  // Two kills a run at most (each costs a process start): the runner's and one job's.
  if (runnerKill) hangAfterEffect.splice(1);

  const nemesis: NemesisAction[] = [];
  if (profile.cut) {
    for (let at = int(300, 900); at < 4_500; at += int(700, 1_600)) {
      nemesis.push({ atMs: at, action: 'cut', refuseMs: int(50, 400) });
    }
  }
  if (profile.delay) {
    for (let i = int(1, 2); i > 0; i--) {
      nemesis.push({ atMs: int(0, 4_000), action: 'delay', ms: int(10, 60), forMs: int(200, 700) });
    }
  }
  nemesis.sort((a, b) => a.atMs - b.atMs);

  return {
    seed,
    store,
    profile,
    workers,
    skewMs,
    queue: { jobs, duplicates, publishFail, hangAfterEffect },
    idem: { calls },
    reserve: { stock, ops },
    runner: {
      rows: size.runnerRows,
      perTimestamp,
      poison: poisonRows,
      ...(runnerKill ? { kill: runnerKill } : {}),
    },
    nemesis,
  };
}
