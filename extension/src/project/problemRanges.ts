import { ProjectProblem } from '../protocol/types';

/** The name of the file the daemon checks as it is typed. */
export const projectFileName = 'devspaces.yaml';

/** Whether a path names a devspaces.yaml (any folder: one file per service). */
export function isProjectFile(path: string): boolean {
  return path.replace(/\\/g, '/').split('/').pop() === projectFileName;
}

/** A problem in VS Code's terms: 0-based positions, a non-empty range. */
export interface ProblemRange {
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** The daemon counts lines and columns from 1, VS Code from 0; an empty range still gets one character to underline. */
export function toProblemRange(problem: ProjectProblem): ProblemRange {
  const startLine = Math.max(problem.line - 1, 0);
  const startCharacter = Math.max(problem.column - 1, 0);
  let endLine = Math.max(problem.endLine - 1, startLine);
  let endCharacter = Math.max(problem.endColumn - 1, 0);
  if (endLine === startLine && endCharacter <= startCharacter) {
    endLine = startLine;
    endCharacter = startCharacter + 1;
  }
  return {
    startLine,
    startCharacter,
    endLine,
    endCharacter,
    severity: problem.severity === 'warning' ? 'warning' : 'error',
    message: problem.message,
  };
}
