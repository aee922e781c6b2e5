import { test } from "uvu";
import * as assert from "uvu/assert";
import { BuddyAllocator } from "../../src/guest-agent/allocator.ts";
import { extentPages } from "../../src/guest-agent/extents.ts";

test("a fresh allocator holds all memory as top-order blocks", () => {
  const a = new BuddyAllocator(8192);
  assert.is(a.freePages, 8192);
  assert.is(a.freeBlocks(10), 8);
});

test("allocate then free merges buddies back into top-order blocks", () => {
  const a = new BuddyAllocator(8192);
  const x = a.allocate(3000)!;
  const y = a.allocate(123)!;
  assert.is(extentPages(x), 3000);
  assert.is(extentPages(y), 123);
  assert.is(a.freePages, 8192 - 3123);
  a.release(y);
  a.release(x);
  assert.is(a.freePages, 8192);
  assert.is(a.freeBlocks(10), 8);
});

test("allocations never overlap", () => {
  const a = new BuddyAllocator(4096);
  const seen = new Uint8Array(4096);
  for (const n of [1, 7, 100, 1024, 513, 2, 300]) {
    for (const e of a.allocate(n)!) for (let p = e.start; p < e.end; p++) seen[p]! += 1;
  }
  assert.ok(seen.every((v) => v <= 1));
});

test("takeBlock splits a larger block and out-of-memory returns null", () => {
  const a = new BuddyAllocator(2048);
  const s = a.takeBlock(0)!;
  assert.ok(s >= 0);
  assert.is(a.freePages, 2047);
  assert.is(a.allocate(5000), null);
  assert.is(a.freePages, 2047);
});

test.run();
