// `pnpm soak -- --seconds 600 [--seed N] [--store memory,sqlite,...] [--faults ci|all|kill,cut,...]`
// Runs fault schedules against every store for as long as asked, a fresh seed each round (or one
// seed, to replay a failure). Prints each failing schedule's seed and violations; exits 1 if any
// schedule broke an invariant.
import { parseArgs } from 'node:util';
import { serviceAvailable } from '../support/services.js';
import { runMemorySchedule } from './memory-harness.js';
import { type RunOutcome, runProcessSchedule } from './process-harness.js';
import { ALL_FAULTS, CI_FAULTS, STORES } from './profiles.js';
import { FAULTS, type FaultProfile, makeSchedule, profileOf, type StoreKind } from './schedule.js';

const { values } = parseArgs({
  // `pnpm soak -- --seconds 600` hands the `--` through: drop it.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    seconds: { type: 'string', default: '60' },
    seed: { type: 'string' },
    store: { type: 'string' },
    faults: { type: 'string', default: 'ci' },
  },
  allowPositionals: true,
});

function faultsFor(store: StoreKind): ReadonlyArray<keyof FaultProfile> {
  if (values.faults === 'ci') return CI_FAULTS[store];
  if (values.faults === 'all') return ALL_FAULTS;
  const asked = values.faults!.split(',').map((f) => f.trim());
  for (const fault of asked) {
    if (!(FAULTS as readonly string[]).includes(fault)) {
      throw new Error(
        `--faults: unknown fault ${JSON.stringify(fault)}; known: ${FAULTS.join(', ')}, or ci, all`,
      );
    }
  }
  return asked as Array<keyof FaultProfile>;
}

async function reachable(store: StoreKind): Promise<boolean> {
  if (store === 'memory' || store === 'sqlite') return true;
  if (store === 'rabbitmq')
    return (await serviceAvailable('rabbitmq')) && (await serviceAvailable('redis'));
  return serviceAvailable(store);
}

async function main() {
  const seconds = Number(values.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`--seconds must be a positive number, got ${values.seconds}`);
  const stores = values.store ? (values.store.split(',') as StoreKind[]) : [...STORES];
  for (const store of stores) {
    if (!STORES.includes(store))
      throw new Error(
        `--store: unknown store ${JSON.stringify(store)}; known: ${STORES.join(', ')}`,
      );
  }
  const usable: StoreKind[] = [];
  for (const store of stores) if (await reachable(store)) usable.push(store);

  const deadline = Date.now() + seconds * 1_000;
  const failed: RunOutcome[] = [];
  let runs = 0;
  do {
    const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
    for (const store of usable) {
      const faults = faultsFor(store);
      const schedule = makeSchedule(seed, store, profileOf(faults));
      const outcome =
        store === 'memory' ? await runMemorySchedule(schedule) : await runProcessSchedule(schedule);
      runs += 1;
      const figures = Object.entries(outcome.report)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      if (outcome.violations.length === 0) {
        console.log(`ok   seed=${seed} store=${store} faults=${faults.join(',')} ${figures}`);
      } else {
        failed.push(outcome);
        console.log(`FAIL seed=${seed} store=${store} faults=${faults.join(',')} ${figures}`);
        for (const violation of outcome.violations) console.log(`     ${violation}`);
        console.log(
          `     replay: pnpm soak -- --seed ${seed} --store ${store} --faults ${faults.join(',')}`,
        );
      }
      if (Date.now() > deadline) break;
    }
  } while (!values.seed && Date.now() < deadline);

  console.log(`\n${runs} schedules, ${failed.length} failed`);
  for (const outcome of failed) console.log(`  failing seed ${outcome.seed} on ${outcome.store}`);
  return failed.length === 0;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
