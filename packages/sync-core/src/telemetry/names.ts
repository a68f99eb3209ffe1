/**
 * The names of sync-core's metrics and attributes. docs/telemetry.md lists each with its meaning;
 * `names.test.ts` keeps the two in step.
 */
export const ATTR = {
  queue: 'plumbline.queue',
  jobState: 'plumbline.job.state',
  jobOutcome: 'plumbline.job.outcome',
  runner: 'plumbline.runner',
  recordOutcome: 'plumbline.record.outcome',
  runStatus: 'plumbline.run.status',
  stage: 'plumbline.dead_letter.stage',
  entity: 'plumbline.entity',
  system: 'plumbline.system',
  rule: 'plumbline.conflict.rule',
  holdOutcome: 'plumbline.hold.outcome',
  reconciliation: 'plumbline.reconciliation',
  breaker: 'plumbline.breaker',
} as const;

export const METRIC = {
  queueDepth: 'plumbline.queue.depth',
  queueOldestAge: 'plumbline.queue.oldest_age',
  queueJobs: 'plumbline.queue.jobs',
  runnerRecords: 'plumbline.runner.records',
  runnerRuns: 'plumbline.runner.runs',
  cursorLag: 'plumbline.runner.cursor.lag',
  deadLetters: 'plumbline.dead_letters',
  conflicts: 'plumbline.conflicts',
  echoesSuppressed: 'plumbline.echoes.suppressed',
  holds: 'plumbline.holds',
  reconciliationFound: 'plumbline.reconciliation.found',
  reconciliationLeft: 'plumbline.reconciliation.left',
  breakerState: 'plumbline.breaker.state',
} as const;

/** The instrumentation scope: the meter's name. */
export const SCOPE = '@plumbline/sync-core';
