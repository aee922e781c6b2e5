// Lenient reads of result fields that not every result has: results written before a field existed, and
// fields other parts of hintmig are still adding (postcopy). A report reads them by name and shows what
// is there rather than failing on what is not.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `path` under `root`, or undefined when any step is missing or not an object. */
export function fieldAt(root: unknown, path: readonly string[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (!isRecord(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

/** A finite number at `path`, or null. */
export function numberAt(root: unknown, path: readonly string[]): number | null {
  const value = fieldAt(root, path);
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** A string at `path`, or null. */
export function stringAt(root: unknown, path: readonly string[]): string | null {
  const value = fieldAt(root, path);
  return typeof value === "string" ? value : null;
}

/** An array of finite numbers at `path`, or null (also when any element is not a number). */
export function numbersAt(root: unknown, path: readonly string[]): number[] | null {
  const value = fieldAt(root, path);
  if (!Array.isArray(value)) return null;
  const numbers: number[] = [];
  for (const item of value) {
    if (typeof item !== "number" || !Number.isFinite(item)) return null;
    numbers.push(item);
  }
  return numbers;
}
