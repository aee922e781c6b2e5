// Scenario text → one SimConfig per variant, or a ScenarioError listing every problem with its line. Pure:
// no file system (load.ts reads files). Order of checks: YAML syntax; the schema over the whole file; the
// rules the schema cannot express, on the base; then each variant, as the base with its `set` merged in,
// reporting only what the variant itself breaks, at the variant's own lines.

import Value from "typebox/value";
import type { Node } from "yaml";
import type { Expectation, SimConfig } from "../model.ts";
import { isRecord, mergeOverrides } from "./merge.ts";
import {
  type Finding,
  findingMessage,
  formatPath,
  formatProblem,
  type Path,
  type Problem,
  ScenarioError,
  sortProblems,
} from "./problems.ts";
import { type ResolvedScenario, resolveExpect, resolveScenario } from "./resolve.ts";
import { type GuestEntryFile, type ScenarioFile, ScenarioSchema } from "./schema.ts";
import { schemaFindings } from "./schema-errors.ts";
import { has, locate, nodeAt, readSource, type Source } from "./source.ts";

export { formatProblem, type Problem, ScenarioError } from "./problems.ts";

export interface ParsedScenario {
  /** The file as written: no defaults applied, units not converted. */
  file: ScenarioFile;
  /**
   * One per variant, in file order; a file without variants gives one named "base". A variant with
   * `guests` gives one per guest, one after another, each with its `guestName`.
   */
  configs: SimConfig[];
}

export interface ParseOptions {
  /** Overrides the file's (and every variant's) seed. */
  seed?: number;
}

/** One guest of a variant, before the variant's name and figures are added. */
interface GuestConfig {
  guestName: string | null;
  config: ResolvedScenario;
}

/** The variants' names, in order, once each (a variant of several guests has a config per guest). */
export function variantNames(configs: readonly SimConfig[]): string[] {
  return [...new Set(configs.map((config) => config.variantName))];
}

/** The variant name of a file that has no `variants`. */
export const BASE_VARIANT = "base";

/** Gathers problems, each once (a variant can hit the same node the whole-file schema check already did). */
class Problems {
  private readonly seen = new Map<string, Problem>();

  constructor(private readonly source: Source) {}

  add(finding: Finding, root?: Node | null, prefix: Path = []): void {
    const { line, column } = locate(this.source, finding.path, finding.anchor, root);
    const problem: Problem = {
      file: this.source.fileName,
      line,
      column,
      path: formatPath([...prefix, ...finding.path]),
      message: findingMessage(finding),
    };
    const text = formatProblem(problem);
    if (!this.seen.has(text)) this.seen.set(text, problem);
  }

  addAll(findings: readonly Finding[], root?: Node | null, prefix: Path = []): void {
    for (const finding of findings) this.add(finding, root, prefix);
  }

  get list(): Problem[] {
    return sortProblems([...this.seen.values()]);
  }
}

function pathKey(path: Path): string {
  return JSON.stringify(path);
}

/** The base scenario: the file without the parts that belong to variants. */
function baseOf(data: Record<string, unknown>): Record<string, unknown> {
  const { variants: _variants, expect: _expect, ...base } = data;
  return base;
}

/** File-level rules about variants that no single document shows. */
function variantFindings(data: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  const variants = Array.isArray(data.variants) ? data.variants : [];
  if (variants.length > 0 && data.expect !== undefined) {
    findings.push({
      path: ["expect"],
      anchor: "key",
      got: data.expect,
      expected: "no top-level expect when there are variants (give each variant its own expect)",
    });
  }
  const firstIndex = new Map<string, number>();
  variants.forEach((variant, index) => {
    if (!isRecord(variant) || typeof variant.name !== "string") return;
    const first = firstIndex.get(variant.name);
    if (first === undefined) firstIndex.set(variant.name, index);
    else {
      findings.push({
        path: ["variants", index, "name"],
        anchor: "value",
        got: variant.name,
        expected: `a name no other variant has (variants[${first}] is ${variant.name})`,
      });
    }
  });
  return findings;
}

/** Guest names must be unique within their list (results are keyed by them). */
function guestNameFindings(guests: readonly GuestEntryFile[]): Finding[] {
  const firstIndex = new Map<string, number>();
  return guests.flatMap((guest, index): Finding[] => {
    const first = firstIndex.get(guest.name);
    if (first === undefined) {
      firstIndex.set(guest.name, index);
      return [];
    }
    return [
      {
        path: [index, "name"],
        anchor: "value",
        got: guest.name,
        expected: `a name no other guest has (guests[${first}] is ${guest.name})`,
      },
    ];
  });
}

function checkSeedOverride(seed: number | undefined, fileName: string): Problem[] {
  if (seed === undefined || (Number.isSafeInteger(seed) && seed >= 0)) return [];
  return [
    {
      file: fileName,
      line: 0,
      column: 0,
      path: "",
      message: `seed override: got ${seed}; expected an integer >= 0`,
    },
  ];
}

/** Parses and validates a scenario; throws ScenarioError with every problem found. */
export function parseScenario(text: string, fileName: string, opts: ParseOptions = {}): ParsedScenario {
  const read = readSource(text, fileName);
  if ("problems" in read) throw new ScenarioError(sortProblems(read.problems));
  const { source } = read;
  const problems = new Problems(source);
  const overrideProblems = checkSeedOverride(opts.seed, fileName);

  const fileFindings = schemaFindings(ScenarioSchema, source.data);
  problems.addAll(fileFindings);
  const data = isRecord(source.data) ? source.data : {};
  problems.addAll(variantFindings(data));

  // The base is checked whole once; its problems are not repeated for every variant that inherits them.
  const baseDoc = baseOf(data);
  const basePaths = new Set(fileFindings.filter((f) => f.path[0] !== "variants").map((f) => pathKey(f.path)));
  let base: ResolvedScenario | null = null;
  if (Value.Check(ScenarioSchema, baseDoc)) {
    const resolved = resolveScenario(baseDoc);
    problems.addAll(resolved.findings);
    for (const finding of resolved.findings) basePaths.add(pathKey(finding.path));
    base = resolved.config;
  }

  /**
   * A document that passed its own checks, as the guests it migrates: itself alone, or each of its
   * `guests` with that guest's `set` merged in, checked at the guest's own lines (`listPath` is where the
   * list is written: the base's, or a variant's own). Null when a guest does not validate.
   */
  const guestsOf = (doc: ScenarioFile, resolved: ResolvedScenario, listPath: Path): GuestConfig[] | null => {
    if (doc.guests === undefined) return [{ guestName: null, config: resolved }];
    const { guests: _guests, ...shared } = doc;
    problems.addAll(guestNameFindings(doc.guests), nodeAt(source, listPath), listPath);
    const configs = doc.guests.map((entry, index): GuestConfig | null => {
      const setPath = [...listPath, index, "set"];
      const setNode = nodeAt(source, setPath);
      const merged = mergeOverrides(shared, entry.set ?? {});
      const own = (findings: readonly Finding[]) => findings.filter((f) => has(source, setNode, f.path));
      problems.addAll(own(schemaFindings(ScenarioSchema, merged)), setNode, setPath);
      if (!Value.Check(ScenarioSchema, merged)) return null;
      const guest = resolveScenario(merged);
      // What the guest's `set` does not write was checked with the document; a problem that only shows
      // with this guest's values (a workload larger than its memory) is reported at the guest.
      const inherited = guest.findings.filter(
        (f) => !has(source, setNode, f.path) && !basePaths.has(pathKey(f.path)),
      );
      problems.addAll(own(guest.findings), setNode, setPath);
      problems.addAll(inherited, nodeAt(source, [...listPath, index]), [...listPath, index]);
      return { guestName: entry.name, config: guest.config };
    });
    return configs.every((c) => c !== null) ? configs : null;
  };

  const baseGuests =
    base !== null && Value.Check(ScenarioSchema, baseDoc) ? guestsOf(baseDoc, base, ["guests"]) : null;

  const variants = Array.isArray(data.variants) ? data.variants : [];
  const variantGuests = variants.map((variant, index): GuestConfig[] | null => {
    if (!isRecord(variant) || !isRecord(variant.set)) return baseGuests;
    const setPath = ["variants", index, "set"];
    const setNode = nodeAt(source, setPath);
    // A variant reports what its override breaks, at the override's lines. A value the override does not
    // write and the base already has a problem with is the base's to fix (even if the override changes the
    // numbers in the message), so it is reported there, once.
    const own = (findings: readonly Finding[]) =>
      findings.filter((f) => has(source, setNode, f.path) || !basePaths.has(pathKey(f.path)));
    const merged = mergeOverrides(baseDoc, variant.set);
    problems.addAll(own(schemaFindings(ScenarioSchema, merged)), setNode, setPath);
    if (base === null || !Value.Check(ScenarioSchema, merged)) return null;
    const resolved = resolveScenario(merged);
    problems.addAll(own(resolved.findings), setNode, setPath);
    return guestsOf(merged, resolved.config, "guests" in variant.set ? [...setPath, "guests"] : ["guests"]);
  });

  const found = [...overrideProblems, ...problems.list];
  if (found.length > 0) throw new ScenarioError(found);
  const file = source.data;
  if (!Value.Check(ScenarioSchema, file) || baseGuests === null) {
    throw new Error(`parseScenario: ${fileName} passed every check but does not match the schema`);
  }

  const expectations = new Problems(source);
  const expectOf = (path: Path, expect: ScenarioFile["expect"]): Expectation | null => {
    if (expect === undefined) return null;
    const resolved = resolveExpect(path, expect);
    expectations.addAll(resolved.findings);
    return resolved.expect;
  };
  // Each config gets its own objects: variants without `set` share the base's, and a consumer that changed
  // one must not change another.
  const finish = (guests: GuestConfig[], variantName: string, expect: Expectation | null): SimConfig[] =>
    guests.map(({ guestName, config }) => ({
      ...structuredClone(config),
      variantName,
      guestName,
      seed: opts.seed ?? config.seed,
      expect,
    }));
  const configs =
    file.variants === undefined
      ? finish(baseGuests, BASE_VARIANT, expectOf(["expect"], file.expect))
      : file.variants.flatMap((variant, index) =>
          finish(
            variantGuests[index] ?? baseGuests,
            variant.name,
            expectOf(["variants", index, "expect"], variant.expect),
          ),
        );
  if (expectations.list.length > 0) throw new ScenarioError(expectations.list);
  return { file, configs };
}
