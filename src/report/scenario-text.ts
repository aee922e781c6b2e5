// What a report shows from the scenario file beside the results: its description, each variant's and each
// guest's. Read
// leniently (any YAML, any shape), because the text may come from an older run folder whose scenario no
// longer validates, and a report must still render.

import { parse } from "yaml";

export interface ScenarioNotes {
  description: string | null;
  /** Variant name → its description, for variants that have one. */
  variants: ReadonlyMap<string, string>;
  /** Guest name → its description, from the scenario's `guests` list or, failing that, a variant's. */
  guests: ReadonlyMap<string, string>;
}

const NONE: ScenarioNotes = { description: null, variants: new Map(), guests: new Map() };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

/** Adds each named, described entry of `list` to `into`; the first description of a name stays. */
function describe(list: unknown, into: Map<string, string>): void {
  if (!Array.isArray(list)) return;
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    const name = text(entry.name);
    const description = text(entry.description);
    if (name !== null && description !== null && !into.has(name)) into.set(name, description);
  }
}

export function scenarioNotes(scenarioText: string): ScenarioNotes {
  let doc: unknown;
  try {
    doc = parse(scenarioText);
  } catch {
    return NONE;
  }
  if (!isRecord(doc)) return NONE;
  const variants = new Map<string, string>();
  const guests = new Map<string, string>();
  describe(doc.guests, guests);
  if (Array.isArray(doc.variants)) {
    describe(doc.variants, variants);
    for (const variant of doc.variants) {
      if (isRecord(variant) && isRecord(variant.set)) describe(variant.set.guests, guests);
    }
  }
  return { description: text(doc.description), variants, guests };
}
