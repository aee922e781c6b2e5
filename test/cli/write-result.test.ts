import * as fs from "node:fs";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  type AtomicFs,
  makeRunId,
  resultJson,
  slugify,
  utcStamp,
  writeFileAtomic,
  writeRunResult,
} from "../../src/cli/write-result.ts";
import { makeTempDir, removeDir } from "../helpers/tmp.ts";
import { runResult, variant } from "./fixtures.ts";

const ids = suite("write-result: run ids");

ids("slugify keeps only [a-z0-9-]", () => {
  assert.is(slugify("Liang Li 2016: free pages"), "liang-li-2016-free-pages");
  assert.is(slugify("  --Multifd + TLS (16 GiB)--  "), "multifd-tls-16-gib");
  assert.is(slugify("Crème brûlée"), "creme-brulee");
  assert.is(slugify("../../etc/passwd"), "etc-passwd");
  assert.is(slugify("日本語"), "scenario");
  assert.is(slugify(""), "scenario");
  assert.match(slugify("x".repeat(200)), /^x{64}$/);
});

ids("utcStamp is yyyymmdd-hhmmss in UTC", () => {
  assert.is(utcStamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5))), "20260102-030405");
  assert.is(utcStamp(new Date(Date.UTC(1999, 11, 31, 23, 59, 59))), "19991231-235959");
});

ids("makeRunId is <slug>-<stamp>-<4 hex>", () => {
  const date = new Date(Date.UTC(2026, 4, 17, 12, 0, 9));
  assert.is(makeRunId("Default", date, "beef"), "default-20260517-120009-beef");
  const id = makeRunId("Liang Li 2016", date);
  assert.match(id, /^liang-li-2016-20260517-120009-[0-9a-f]{4}$/);
  assert.match(id, /^[a-z0-9-]+$/);
});

ids.run();

const atomic = suite("write-result: atomic write");
let dir = "";
atomic.before.each(() => {
  dir = makeTempDir();
});
atomic.after.each(() => {
  removeDir(dir);
});

atomic("writes the whole file and leaves no temporary file", () => {
  const target = path.join(dir, "result.json");
  writeFileAtomic(target, "first\n");
  writeFileAtomic(target, "second\n");
  assert.is(fs.readFileSync(target, "utf8"), "second\n");
  assert.equal(fs.readdirSync(dir), ["result.json"]);
});

// Dies halfway through writing: the target must keep its old content and the partial file must go.
atomic("a failure while writing leaves the old file whole and no temporary file", () => {
  const target = path.join(dir, "result.json");
  writeFileAtomic(target, "old, complete\n");
  const dying: AtomicFs = {
    writeFileSync(file, data) {
      fs.writeFileSync(file, data.slice(0, 3));
      throw new Error("disk full");
    },
    renameSync: fs.renameSync,
    rmSync: fs.rmSync,
  };
  assert.throws(() => writeFileAtomic(target, "new, complete\n", dying), /disk full/);
  assert.is(fs.readFileSync(target, "utf8"), "old, complete\n");
  assert.equal(fs.readdirSync(dir), ["result.json"]);
});

atomic("a failure at the rename leaves no target and no temporary file", () => {
  const target = path.join(dir, "result.json");
  const failingRename: AtomicFs = {
    writeFileSync: fs.writeFileSync,
    renameSync() {
      throw new Error("rename failed");
    },
    rmSync: fs.rmSync,
  };
  assert.throws(() => writeFileAtomic(target, "data\n", failingRename), /rename failed/);
  assert.equal(fs.readdirSync(dir), []);
});

atomic("writeRunResult writes <out>/<id>/result.json with the JSON of the result", () => {
  const result = runResult([variant()]);
  const file = writeRunResult(path.join(dir, "reports"), "demo-20260101-000000-abcd", result);
  assert.is(file, path.join(dir, "reports", "demo-20260101-000000-abcd", "result.json"));
  const text = fs.readFileSync(file, "utf8");
  assert.is(text, resultJson(result));
  assert.ok(text.endsWith("}\n"));
  assert.equal(JSON.parse(text), result);
  assert.equal(fs.readdirSync(path.dirname(file)), ["result.json"]);
});

atomic.run();
