// The error registry: each key is its own code (what clients branch on), each status is an error status,
// and templates fill in their placeholders.

import { STATUS_CODES } from "node:http";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ApiError, apiError, ERRORS, formatMessage } from "../../src/server/errors.ts";

const registry = suite("server errors: the registry");

registry("every key equals its code", () => {
  for (const [key, def] of Object.entries(ERRORS)) assert.is(def.code, key);
});

registry("codes are HINTMIG_ upper case and statuses are 4xx/5xx with a reason phrase", () => {
  for (const def of Object.values(ERRORS)) {
    assert.match(def.code, /^HINTMIG_[A-Z_]+$/);
    assert.ok(def.status >= 400 && def.status < 600, def.code);
    assert.type(STATUS_CODES[def.status], "string");
  }
});

registry("apiError fills the template and carries status, problems and headers", () => {
  const error = apiError(
    "HINTMIG_QUEUE_FULL",
    { queued: 7, seconds: 3 },
    { headers: { "retry-after": "3" }, problems: [{ path: "x", message: "y" }] },
  );
  assert.instance(error, ApiError);
  assert.is(error.statusCode, 429);
  assert.is(error.code, "HINTMIG_QUEUE_FULL");
  assert.match(error.message, /^7 runs are already waiting.*retry in 3 s$/);
  assert.equal(error.headers, { "retry-after": "3" });
  assert.equal(error.problems, [{ path: "x", message: "y" }]);
});

registry("formatMessage leaves unknown placeholders visible", () => {
  assert.is(formatMessage("no run {id} ({why})", { id: "a" }), "no run a ({why})");
});

registry.run();
