import { suite } from "uvu";
import * as assert from "uvu/assert";
import { countFailed, filePattern, parseUvuSummary } from "../run.ts";

const runner = suite("test/run.ts");

const UVU_TAIL = "  Total:     7\n  Passed:    5\n  Skipped:   1\n  Duration:  12.3ms\n\n";

runner("parses uvu's closing block", () => {
  assert.equal(parseUvuSummary(`a.test.ts\n• • ✘   (2 / 3)\n\n${UVU_TAIL}`), {
    total: 7,
    passed: 5,
    skipped: 1,
  });
  assert.equal(parseUvuSummary("\u001b[32m  Total:     2\u001b[39m\n  Passed:    2\n  Skipped:   0\n"), {
    total: 2,
    passed: 2,
    skipped: 0,
  });
});

runner("a run that died before its summary has none", () => {
  assert.is(parseUvuSummary("a.test.ts\n• •\nError: Cannot find module\n"), null);
});

runner("counts failures; a crash or a bad exit is at least one", () => {
  assert.is(countFailed({ total: 7, passed: 5, skipped: 1 }, 1), 2);
  assert.is(countFailed({ total: 7, passed: 7, skipped: 3 }, 0), 0);
  assert.is(countFailed(null, 1), 1);
  assert.is(countFailed({ total: 3, passed: 3, skipped: 0 }, 1), 1);
});

runner("narrows the file pattern with extra arguments", () => {
  const all = new RegExp(filePattern([]), "i");
  assert.ok(all.test("cli/table.test.ts"));
  assert.not.ok(all.test("helpers/cli.ts"));
  const some = new RegExp(filePattern(["table", "progress"]), "i");
  assert.ok(some.test("cli/table.test.ts"));
  assert.ok(some.test("cli/progress.test.ts"));
  assert.not.ok(some.test("cli/write-result.test.ts"));
  assert.not.ok(some.test("cli/table-helpers.ts"));
});

runner.run();
