// What is wrong with a scenario file, in the shape every checker reports it: where (file, line, column, the
// dotted path to the value) and "got ...; expected ..." in plain words. All problems of a file are gathered
// and thrown together, so one run of `validate` shows everything to fix.

/** Keys and list indices from the document root, e.g. ["workload", 2, "dirty", "rate"]. */
export type Path = readonly (string | number)[];

/** One thing wrong in a scenario file. Lines and columns are 1-based; 0 when the file could not be read. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  /** Dotted path with [i] for list items (`workload[2].dirty.rate`); "" for the file as a whole. */
  path: string;
  /** "got VALUE; expected WHAT", or a plain sentence when there is no value (syntax, unreadable file). */
  message: string;
}

/** Stands for a value that is not there (a missing required field). */
export const MISSING: unique symbol = Symbol("missing");

/**
 * Which source position a finding points at: the value itself, the key that names it (an unknown field,
 * whose value may be a whole block), or the object that should contain it (a missing field).
 */
export type Anchor = "value" | "key" | "parent";

/** A problem before it has a position: checkers find these, the parser locates them in the source. */
export interface Finding {
  path: Path;
  anchor: Anchor;
  got: unknown;
  expected: string;
}

export class ScenarioError extends Error {
  override name = "ScenarioError";
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.problems = problems;
  }
}

/** `FILE:LINE:COL: PATH: MESSAGE`, the form compilers use, so editors and terminals can jump to it. */
export function formatProblem(problem: Problem): string {
  const where = problem.path === "" ? "" : `${problem.path}: `;
  return `${problem.file}:${problem.line}:${problem.column}: ${where}${problem.message}`;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** ["workload", 2, "dirty", "rate"] → "workload[2].dirty.rate"; odd keys are quoted: `guest["my key"]`. */
export function formatPath(path: Path): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

const MAX_VALUE_CHARS = 60;

/** The offending value as JSON, cut short so a whole list pasted in the wrong place stays one line. */
export function formatValue(value: unknown): string {
  if (value === MISSING) return "nothing";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

export function findingMessage(finding: Finding): string {
  return `got ${formatValue(finding.got)}; expected ${finding.expected}`;
}

/** Problems in reading order; ties keep the order they were found in. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}
