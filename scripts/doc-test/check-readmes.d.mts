export const repoRoot: string;
export interface DocProblem {
  file: string;
  line: number;
  column: number;
  code: number | string;
  message: string;
}
export interface DocResult {
  problems: DocProblem[];
  checked: number;
  skipped: { file: string; line: number; reason: string }[];
}
export function checkReadmes(
  readmes: { file: string; packageDir: string }[],
  options?: { keep?: boolean },
): DocResult;
export function formatProblem(problem: DocProblem): string;
export function linkInstall(dir: string, packageDir: string): void;
