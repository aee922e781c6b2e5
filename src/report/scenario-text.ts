// What a report shows from the scenario file beside the results: its description and each variant's. Read
// leniently (any YAML, any shape), because the text may come from an older run folder whose scenario no
// longer validates, and a report must still render.

import { parse } from "yaml";

export interface ScenarioNotes {
  description: string | null;
  /** Variant name → its description, for variants that have one. */
  variants: ReadonlyMap<string, string>;
}

const NONE: ScenarioNotes = { description: null, variants: new Map() };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
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
  if (Array.isArray(doc.variants)) {
    for (const variant of doc.variants) {
      if (!isRecord(variant)) continue;
      const name = text(variant.name);
      const description = text(variant.description);
      if (name !== null && description !== null) variants.set(name, description);
    }
  }
  return { description: text(doc.description), variants };
}
