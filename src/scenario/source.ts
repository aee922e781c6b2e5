// The scenario text as a YAML document with positions. JSON is YAML too, so one parser gives line numbers
// for both. Checkers work on plain values and paths; this file maps a path back to where it was written.

import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from "yaml";
import type { Anchor, Path, Problem } from "./problems.ts";

export interface Source {
  fileName: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The document as plain data (what the schema validates). */
  data: unknown;
}

export interface Position {
  line: number;
  column: number;
}

/** Parses the text; syntax errors come back as problems with their positions, never as a throw. */
export function readSource(text: string, fileName: string): { source: Source } | { problems: Problem[] } {
  const lines = new LineCounter();
  // YAML 1.2 core schema: "yes" stays a string and no timestamps appear; duplicate keys are errors.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return {
          file: fileName,
          line,
          column: col,
          path: "",
          message: `YAML syntax: ${firstLine(error.message)}`,
        };
      }),
    };
  }
  try {
    return { source: { fileName, doc, lines, data: doc.toJS() } };
  } catch (error) {
    // toJS refuses alias bombs ("Excessive alias count"); report it like a syntax error.
    const message = error instanceof Error ? error.message : String(error);
    return { problems: [{ file: fileName, line: 1, column: 1, path: "", message: `YAML: ${message}` }] };
  }
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

interface Step {
  node: Node | null;
  /** The map key that names this node, when it is a map value. */
  key: Node | null;
}

function deref(source: Source, node: Node | null): Node | null {
  if (node !== null && isAlias(node)) return (node.resolve(source.doc) as Node | undefined) ?? null;
  return node;
}

/** Follows the path as far as the document has it. */
function walk(source: Source, root: Node | null, path: Path): { steps: Step[]; complete: boolean } {
  const steps: Step[] = [{ node: root, key: null }];
  for (const segment of path) {
    const node = deref(source, steps[steps.length - 1]?.node ?? null);
    let next: Step | undefined;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair !== undefined) {
        next = { node: isNode(pair.value) ? pair.value : null, key: isNode(pair.key) ? pair.key : null };
      }
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (isNode(item)) next = { node: item, key: null };
    }
    if (next === undefined) return { steps, complete: false };
    steps.push(next);
  }
  return { steps, complete: true };
}

function start(source: Source, node: Node | null): Position | null {
  const offset = node?.range?.[0];
  if (offset === undefined) return null;
  const { line, col } = source.lines.linePos(offset);
  return { line, column: col };
}

/**
 * Where a finding at `path` (relative to `root`, the document by default) was written. When the path is
 * only partly in the document (a default, or a variant's override of something its `set` does not name),
 * it points at the deepest part that is there.
 */
export function locate(source: Source, path: Path, anchor: Anchor, root?: Node | null): Position {
  const top = root === undefined ? (source.doc.contents as Node | null) : root;
  const target = anchor === "parent" ? path.slice(0, -1) : path;
  const { steps, complete } = walk(source, top, target);
  const last = steps[steps.length - 1] ?? { node: top, key: null };
  // A value is best shown where it is written; anything else by the key that names it, which is the line a
  // reader scans for (a block map's own position is its first key, one line below).
  const byValue = anchor === "value" && complete;
  const first = byValue ? last.node : last.key;
  const second = byValue ? last.key : last.node;
  return start(source, first) ?? start(source, second) ?? { line: 1, column: 1 };
}

/** The YAML node at `path`, if the document has it there. */
export function nodeAt(source: Source, path: Path): Node | null {
  const { steps, complete } = walk(source, source.doc.contents as Node | null, path);
  return complete ? (steps[steps.length - 1]?.node ?? null) : null;
}

/** Whether the document itself has something at `path`. */
export function has(source: Source, root: Node | null, path: Path): boolean {
  return walk(source, root, path).complete;
}
