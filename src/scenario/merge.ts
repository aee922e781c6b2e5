// How a variant's `set` applies to the base scenario: mappings merge key by key, everything else (lists,
// numbers, strings) replaces. Lists replace because merging two workloads item by item has no meaning a
// reader could guess.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A new value: `base` with `overrides` laid over it; neither input is changed. */
export function mergeOverrides(base: unknown, overrides: unknown): unknown {
  if (!isRecord(base) || !isRecord(overrides)) return overrides;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    merged[key] = key in base ? mergeOverrides(base[key], value) : value;
  }
  return merged;
}
