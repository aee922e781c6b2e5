import { test } from "uvu";
import * as assert from "uvu/assert";
import { type FreePageEntry, FreePageVirtqueue } from "../../src/balloon/virtqueue.ts";
import { CMD_ID_DONE, CMD_ID_STOP, HintingAgent } from "../../src/guest-agent/hinting-agent.ts";
import { GuestMemory } from "../../src/guest-agent/memory.ts";
import { TestScheduler } from "../support/scheduler.ts";

const US = 1000;

/** 64 MiB guest (16 blocks of 4 MiB), an agent and a virtqueue whose entries are recorded. */
function rig(size = 1024) {
  const sched = new TestScheduler();
  const memory = new GuestMemory(64 * 1024 * 1024, 4096);
  const seen: { atNs: number; entry: FreePageEntry }[] = [];
  const vq = new FreePageVirtqueue(sched, { size, iothreadLatencyNs: 10 * US, perEntryNs: 1 * US }, (entry) =>
    seen.push({ atNs: sched.nowNs, entry }),
  );
  const agent = new HintingAgent(memory, vq, sched, {
    blockPages: 1024,
    blockGuestNs: 2 * US,
    configLatencyNs: 100 * US,
  });
  return { sched, memory, vq, agent, seen };
}

test("the driver sends the id first, then every free block once, and holds them", () => {
  const { sched, memory, agent, seen } = rig();
  agent.configChanged(0x80000001);
  sched.runUntil(10_000 * US);
  assert.equal(seen[0]!.entry, { kind: "cmd-id", id: 0x80000001 });
  const hints = seen.slice(1).map((s) => s.entry);
  assert.is(hints.length, 16);
  assert.is(new Set(hints.map((h) => (h.kind === "hint" ? h.start : -1))).size, 16);
  assert.ok(seen[0]!.atNs >= 100 * US, "acts only after the config latency");
  assert.is(memory.allocator.freePages, 0, "reported blocks are held, not free");
  assert.is(agent.heldPages, 16 * 1024);
});

test("DONE returns every held block to the free lists", () => {
  const { sched, memory, agent } = rig();
  agent.configChanged(0x80000001);
  sched.runUntil(10_000 * US);
  agent.configChanged(CMD_ID_DONE);
  sched.runUntil(20_000 * US);
  assert.is(memory.allocator.freePages, 16 * 1024);
  assert.is(agent.heldPages, 0);
});

test("an id change cuts the burst: blocks not yet taken go back, and the new id is echoed", () => {
  const { sched, memory, agent, seen } = rig();
  agent.configChanged(0x80000001);
  // The burst starts at 100 us and takes 2 us per block; STOP becomes visible at 105 us (3 blocks in).
  sched.runUntil(5 * US);
  agent.configChanged(CMD_ID_STOP);
  sched.runUntil(10_000 * US);
  const hints = seen.filter((s) => s.entry.kind === "hint");
  assert.is(hints.length, 3);
  assert.is(memory.allocator.freePages, 13 * 1024);
  agent.configChanged(0x80000002);
  sched.runUntil(20_000 * US);
  assert.ok(seen.some((s) => s.entry.kind === "cmd-id" && s.entry.id === 0x80000002));
  assert.is(seen.filter((s) => s.entry.kind === "hint").length, 16, "the new report takes the rest");
});

test("a small virtqueue paces the driver: it waits for the host to return descriptors", () => {
  const { sched, agent, seen } = rig(4);
  agent.configChanged(0x80000001);
  sched.runUntil(100_000 * US);
  const hints = seen.filter((s) => s.entry.kind === "hint");
  assert.is(hints.length, 16);
  // 3 descriptors for hints at a time (one kept for the id): the host sees them in several batches.
  assert.ok(new Set(hints.map((h) => h.atNs)).size >= 5);
});

test("memory pressure makes the shrinker give held blocks back", () => {
  const { sched, memory, agent } = rig();
  agent.configChanged(0x80000001);
  sched.runUntil(10_000 * US);
  const got = memory.allocate(3000);
  assert.ok(got !== null, "the allocation succeeds by reclaiming hinted blocks");
  assert.is(agent.blocksReturnedUnderPressure, 3);
  assert.is(agent.heldPages, 13 * 1024);
});

test.run();
