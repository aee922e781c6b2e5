// The scenario schema as a standalone JSON Schema document for editors (scenario.schema.json at the repo
// root). Generated from the TypeBox schema, never edited by hand; a test keeps the committed file in step.

import { ScenarioSchema } from "./schema.ts";

export const SCHEMA_FILE_NAME = "scenario.schema.json";

/** The JSON Schema document: draft-07, which VS Code's YAML and JSON support understand. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: `urn:hintmig:${SCHEMA_FILE_NAME}`,
    title: "hintmig scenario",
    ...ScenarioSchema,
  };
}

/** The file's exact text: two-space JSON and a final newline. */
export function renderScenarioJsonSchema(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
