// Reads vitest's JSON report and prints the closing line CI reads: 'tests: N passed, N failed, N skipped'.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`test-summary: no vitest report at ${file} (${error.message})`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// A run that failed outside any test (a file that does not load, an unhandled error) counts once.
const failed = Math.max(report.numFailedTests ?? 0, report.success ? 0 : 1);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed === 0) {
  console.error('test-summary: no test ran');
  process.exit(1);
}
