// Turns TypeBox's validation errors into findings a person can act on: one per wrong value, saying what the
// schema at that place accepts ("a rate like ...", "an integer from 1 to 1024", "no such field (allowed:
// ...)") instead of the validator's keyword ("must match pattern ...").

import type { TSchema } from "typebox";
import Value from "typebox/value";
import { type Finding, MISSING, type Path } from "./problems.ts";
import { UNIT_EXPECTED } from "./units.ts";

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "/workload/2/dirty" → ["workload", 2, "dirty"]; a segment is an index only where the data is a list. */
function toPath(pointer: string, data: unknown): Path {
  if (pointer === "") return [];
  const path: (string | number)[] = [];
  let here = data;
  for (const raw of pointer.slice(1).split("/")) {
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (Array.isArray(here) && /^\d+$/.test(segment)) {
      path.push(Number(segment));
      here = here[Number(segment)];
    } else {
      path.push(segment);
      here = isRecord(here) ? here[segment] : undefined;
    }
  }
  return path;
}

function valueAt(data: unknown, path: Path): unknown {
  let here = data;
  for (const segment of path) {
    if (Array.isArray(here) && typeof segment === "number") here = here[segment];
    else if (isRecord(here) && typeof segment === "string") here = here[segment];
    else return undefined;
  }
  return here;
}

/** The sub-schema a schemaPath ("#/properties/guest/properties/memory") names. */
function schemaAt(schema: TSchema, pointer: string): Json {
  let here: unknown = schema;
  for (const raw of pointer.replace(/^#\/?/, "").split("/")) {
    if (raw === "") continue;
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    here = isRecord(here) ? here[segment] : undefined;
  }
  return isRecord(here) ? here : {};
}

function propertyNames(node: Json): string[] {
  return isRecord(node.properties) ? Object.keys(node.properties) : [];
}

function range(noun: string, min: unknown, max: unknown): string {
  if (typeof min === "number" && typeof max === "number") return `${noun} from ${min} to ${max}`;
  if (typeof min === "number") return `${noun} >= ${min}`;
  if (typeof max === "number") return `${noun} <= ${max}`;
  return noun;
}

/** What a schema node accepts, in words. */
export function describe(node: Json): string {
  if (typeof node.pattern === "string")
    return UNIT_EXPECTED[node.pattern] ?? `a string matching ${node.pattern}`;
  if (Array.isArray(node.enum)) return `one of ${node.enum.join(", ")}`;
  switch (node.type) {
    case "integer":
      return range("an integer", node.minimum, node.maximum);
    case "number":
      return range("a number", node.minimum, node.maximum);
    case "boolean":
      return "true or false";
    case "string":
      if (typeof node.minLength === "number" && typeof node.maxLength === "number") {
        return `a string of ${node.minLength} to ${node.maxLength} characters`;
      }
      return "a string";
    case "array":
      return node.minItems === 1 ? "a non-empty list" : "a list";
    case "object": {
      const names = propertyNames(node);
      return names.length === 0 ? "an empty mapping {}" : `a mapping with fields ${names.join(", ")}`;
    }
    default:
      return "a valid value";
  }
}

/** What an object with minProperties/maxProperties wants: "exactly one of ...", "at least one of ...". */
function describeCount(node: Json): string {
  const required = Array.isArray(node.required) ? node.required.map(String) : [];
  const choices = propertyNames(node).filter((name) => !required.includes(name));
  const prefix = required.length > 0 ? `${required.join(", ")} and ` : "";
  const exactly = node.minProperties === node.maxProperties;
  return `${prefix}${exactly ? "exactly one" : "at least one"} of ${choices.join(", ")}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function describeUnknown(name: string, allowed: readonly string[]): string {
  if (allowed.length === 0) return "no such field (this mapping takes none)";
  const close = allowed
    .map((candidate) => ({ candidate, distance: editDistance(name.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ distance }) => distance <= Math.max(1, Math.floor(name.length / 3)))
    .sort((a, b) => a.distance - b.distance)[0];
  const hint = close === undefined ? "" : `did you mean ${close.candidate}? `;
  return `no such field (${hint}allowed: ${allowed.join(", ")})`;
}

const IGNORED = new Set([
  // Reported through `additionalProperties`, which names the field.
  "boolean",
  // Summaries of their branches' errors; the schema has no unions, so these do not arise.
  "anyOf",
  "oneOf",
]);

/** Every schema violation in `data`, one finding per wrong value, in the validator's order. */
export function schemaFindings(schema: TSchema, data: unknown): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const withUnknownFields = new Set<string>();
  const counts: { path: Path; node: Json }[] = [];

  const add = (finding: Finding) => {
    const key = JSON.stringify(finding.path);
    if (seen.has(key)) return;
    seen.add(key);
    findings.push(finding);
  };

  for (const error of Value.Errors(schema, data)) {
    if (IGNORED.has(error.keyword)) continue;
    const path = toPath(error.instancePath, data);
    const node = schemaAt(schema, error.schemaPath);
    const params: Json = isRecord(error.params) ? error.params : {};
    switch (error.keyword) {
      case "additionalProperties": {
        const names = Array.isArray(params.additionalProperties)
          ? params.additionalProperties.map(String)
          : [];
        withUnknownFields.add(JSON.stringify(path));
        for (const name of names) {
          const fieldPath = [...path, name];
          add({
            path: fieldPath,
            anchor: "key",
            got: valueAt(data, fieldPath),
            expected: describeUnknown(name, propertyNames(node)),
          });
        }
        break;
      }
      case "required": {
        const names = Array.isArray(params.requiredProperties) ? params.requiredProperties.map(String) : [];
        const properties = isRecord(node.properties) ? node.properties : {};
        for (const name of names) {
          const property = properties[name];
          add({
            path: [...path, name],
            anchor: "parent",
            got: MISSING,
            expected: describe(isRecord(property) ? property : {}),
          });
        }
        break;
      }
      case "minProperties":
      case "maxProperties":
        // Decided after the loop: an unknown key also counts as a property, and naming it is the better fix.
        counts.push({ path, node });
        break;
      default:
        add({ path, anchor: "value", got: valueAt(data, path), expected: describe(node) });
    }
  }
  for (const { path, node } of counts) {
    if (withUnknownFields.has(JSON.stringify(path))) continue;
    add({ path, anchor: "value", got: valueAt(data, path), expected: describeCount(node) });
  }
  return findings;
}
