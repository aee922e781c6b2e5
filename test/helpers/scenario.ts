// A scenario's problems as the user sees them: one line per problem, or none when it parses. The message
// and the structured list must agree, since the CLI prints the one and the server returns the other.

import * as assert from "uvu/assert";
import { formatProblem, parseScenario, ScenarioError } from "../../src/scenario/parse.ts";

export function scenarioProblems(text: string, fileName: string): string[] {
  try {
    parseScenario(text, fileName);
    return [];
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    assert.is(error.message, error.problems.map(formatProblem).join("\n"));
    return error.message.split("\n");
  }
}
