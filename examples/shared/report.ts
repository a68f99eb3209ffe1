/**
 * What every example's `run()` returns, and the summary table the demo prints from them.
 * Figures are counted by the programs while they work (never computed afterwards from the seed),
 * and `converged` is decided by reading every system back at the end.
 */
export type SystemName = 'commerce' | 'netsuite' | 'salesforce';

export interface PatternReport {
  pattern: string;
  /** Records written to each system by this run (creates and updates). */
  moved: Partial<Record<SystemName, number>>;
  /** Conflicts decided, by the rule that decided them (e.g. `ownership`, `last-writer-wins`). */
  conflicts: Record<string, number>;
  echoesSuppressed: number;
  reservations: { confirmed: number; released: number; expired: number };
  /** Reconciliation: differences found on the first pass and left after re-driving. */
  reconciliation: { found: number; remaining: number };
  /** True only when the final read-back of every system matched what the pattern promises. */
  converged: boolean;
  /** Human-readable facts worth showing (e.g. "0 oversold", "cache hit rate 92%"). */
  notes: string[];
  durationMs: number;
}

export function emptyReport(pattern: string): PatternReport {
  return {
    pattern,
    moved: {},
    conflicts: {},
    echoesSuppressed: 0,
    reservations: { confirmed: 0, released: 0, expired: 0 },
    reconciliation: { found: 0, remaining: 0 },
    converged: false,
    notes: [],
    durationMs: 0,
  };
}

export function addMoved(report: PatternReport, system: SystemName, n = 1): void {
  report.moved[system] = (report.moved[system] ?? 0) + n;
}

export function addConflict(report: PatternReport, rule: string, n = 1): void {
  report.conflicts[rule] = (report.conflicts[rule] ?? 0) + n;
}

/** A plain-text table (Markdown-compatible) of the reports, one row a pattern, plus a total. */
export function summaryTable(reports: PatternReport[]): string {
  const header = [
    'pattern',
    'commerce',
    'netsuite',
    'salesforce',
    'conflicts (by rule)',
    'echoes',
    'reserv. confirmed/released',
    'reconcile found/left',
    'converged',
    'time',
  ];
  const rows = reports.map((r) => [
    r.pattern,
    String(r.moved.commerce ?? 0),
    String(r.moved.netsuite ?? 0),
    String(r.moved.salesforce ?? 0),
    formatConflicts(r.conflicts),
    String(r.echoesSuppressed),
    `${r.reservations.confirmed}/${r.reservations.released + r.reservations.expired}`,
    `${r.reconciliation.found}/${r.reconciliation.remaining}`,
    r.converged ? 'yes' : 'NO',
    `${(r.durationMs / 1000).toFixed(1)}s`,
  ]);
  const sum = (pick: (r: PatternReport) => number) =>
    String(reports.reduce((a, r) => a + pick(r), 0));
  const allConflicts: Record<string, number> = {};
  for (const r of reports) {
    for (const [rule, n] of Object.entries(r.conflicts))
      allConflicts[rule] = (allConflicts[rule] ?? 0) + n;
  }
  rows.push([
    'total',
    sum((r) => r.moved.commerce ?? 0),
    sum((r) => r.moved.netsuite ?? 0),
    sum((r) => r.moved.salesforce ?? 0),
    formatConflicts(allConflicts),
    sum((r) => r.echoesSuppressed),
    `${sum((r) => r.reservations.confirmed)}/${sum((r) => r.reservations.released + r.reservations.expired)}`,
    `${sum((r) => r.reconciliation.found)}/${sum((r) => r.reconciliation.remaining)}`,
    reports.every((r) => r.converged) ? 'yes' : 'NO',
    `${(reports.reduce((a, r) => a + r.durationMs, 0) / 1000).toFixed(1)}s`,
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function formatConflicts(conflicts: Record<string, number>): string {
  const entries = Object.entries(conflicts).filter(([, n]) => n > 0);
  if (entries.length === 0) return '0';
  return entries
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([rule, n]) => `${rule} ${n}`)
    .join(', ');
}
