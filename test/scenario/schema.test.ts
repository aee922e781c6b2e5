import { readFileSync } from "node:fs";
import Value from "typebox/value";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  renderScenarioJsonSchema,
  SCHEMA_FILE_NAME,
  scenarioJsonSchema,
} from "../../src/scenario/json-schema.ts";
import { ScenarioSchema } from "../../src/scenario/schema.ts";

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every schema node with its path, depth first. */
function* nodes(node: unknown, path = "#"): Generator<[string, Json]> {
  if (!isRecord(node)) return;
  yield [path, node];
  if (isRecord(node.properties)) {
    for (const [key, child] of Object.entries(node.properties))
      yield* nodes(child, `${path}/properties/${key}`);
  }
  if (node.items !== undefined) yield* nodes(node.items, `${path}/items`);
}

const exported = suite("schema: exported JSON Schema");

exported(
  "the committed scenario.schema.json is what the TypeBox schema produces (run `npm run schema`)",
  () => {
    const committed = readFileSync(new URL(`../../${SCHEMA_FILE_NAME}`, import.meta.url), "utf8");
    assert.is(committed, renderScenarioJsonSchema());
  },
);

exported("it is a draft-07 document with an id and a title", () => {
  const schema = scenarioJsonSchema();
  assert.is(schema.$schema, "http://json-schema.org/draft-07/schema#");
  assert.type(schema.$id, "string");
  assert.type(schema.title, "string");
  assert.is(schema.type, "object");
});

const shape = suite("schema: shape");

shape("every object is closed and every field has a description", () => {
  const json: unknown = JSON.parse(JSON.stringify(ScenarioSchema));
  let objects = 0;
  for (const [path, node] of nodes(json)) {
    assert.type(node.description, "string", `${path} has no description`);
    if (node.type === "object") {
      objects++;
      assert.is(node.additionalProperties, false, `${path} allows unknown fields`);
    }
  }
  assert.ok(objects > 20, `only ${objects} objects found`);
});

shape("every default is a valid value of its own field", () => {
  let defaults = 0;
  for (const [path, node] of nodes(ScenarioSchema)) {
    if (!("default" in node)) continue;
    defaults++;
    assert.ok(Value.Check(node, node.default), `${path}: default ${JSON.stringify(node.default)} is invalid`);
  }
  // guest 3, dirty 2, host 11, network 6, migration 4 + 6 parameters (twice: migration and commands) + 1
  // capability, balloon 12, faults 3, simulation 4, seed 1, all again under variants[].set.
  assert.ok(defaults >= 40, `only ${defaults} defaults found`);
});

shape("keys are kebab-case, except QEMU's own migrate_cancel and the editors' $schema", () => {
  for (const [path, node] of nodes(ScenarioSchema)) {
    if (!isRecord(node.properties)) continue;
    for (const key of Object.keys(node.properties)) {
      if (key === "migrate_cancel" || key === "$schema") continue;
      assert.match(key, /^[a-z]+(-[a-z]+)*$/, `${path}/${key}`);
    }
  }
});

exported.run();
shape.run();
